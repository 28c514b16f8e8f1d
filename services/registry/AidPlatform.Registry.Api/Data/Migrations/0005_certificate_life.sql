-- Registration certificates over their life (Decree 58/2022/ND-CP, Art. 7-9): amended, extended, suspended,
-- reinstated, revoked, every action kept; and the expiry notices sent 90, 30 and 7 days before.

alter table registrations
    add column version int  not null default 1,
    add column status  text not null default 'valid' check (status in ('valid', 'suspended', 'revoked'));

-- The spans in which a certificate was not valid: from inclusive, until exclusive (null: still).
-- A suspension is closed by a reinstatement (or a revocation); a revocation never ends.
create table registration_interruptions (
    registration_id uuid not null references registrations (id),
    seq             int  not null,
    kind            text not null check (kind in ('suspension', 'revocation')),
    from_on         date not null,
    until_on        date check (until_on >= from_on),
    primary key (registration_id, seq)
);

-- Every action on a certificate, its recording first: the terms before and after, who, when, why.
-- An actor of null is a certificate recorded before this history was kept.
create table registration_history (
    id              bigint generated always as identity primary key,
    registration_id uuid        not null references registrations (id),
    version         int         not null,
    action          text        not null check (action in ('record', 'amend', 'extend', 'suspend', 'reinstate', 'revoke')),
    from_status     text,
    to_status       text        not null,
    before          jsonb,
    after           jsonb       not null,
    reason          text,
    effective_on    date        not null,
    actor_subject   text,
    actor_role      text,
    actor_ngo_id    uuid,
    at              timestamptz not null default now(),
    unique (registration_id, version)
);

insert into registration_history (registration_id, version, action, from_status, to_status, before, after, effective_on, at)
select id, 1, 'record', null, 'valid', null,
       jsonb_build_object('expiresOn', expires_on, 'provinceCodes', to_jsonb(province_codes),
                          'currentProvinceCodes', to_jsonb(current_province_codes), 'sectorCategories', to_jsonb(sector_categories)),
       issued_on, created_at
from registrations;

-- One row per certificate, expiry date and mark: published_at is when RegistrationExpiring went out, null for a
-- looser mark passed over because a tighter one already applied. A new expiry (an extension) starts afresh.
create table registration_expiry_notices (
    registration_id uuid        not null references registrations (id),
    expires_on      date        not null,
    days_before     int         not null check (days_before in (90, 30, 7)),
    published_at    timestamptz,
    noted_at        timestamptz not null default now(),
    primary key (registration_id, expires_on, days_before)
);

create index registrations_expiry_scan on registrations (expires_on) where status <> 'revoked';
