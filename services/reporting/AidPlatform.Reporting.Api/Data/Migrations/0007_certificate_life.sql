-- Certificates change over their life (amend, extend, suspend, reinstate, revoke): the newest version wins.
-- The expiry notices the registry sent are kept, the tightest mark (days before expiry) with the date it was for.
alter table registrations
    add column version            int  not null default 1,
    add column status             text not null default 'valid',
    add column notice_days_before int,
    add column notice_expires_on  date;
