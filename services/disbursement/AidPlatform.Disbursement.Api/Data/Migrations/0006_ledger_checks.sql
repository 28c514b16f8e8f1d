-- The ledger checks rows against the registry (API.md "Ledger checks against the registry"): the copy of a
-- project keeps its approval state and the current province codes it covers, and the NGOs' certificates are
-- copied too.

-- Projects copied before approval existed are approved. Their provinces were never copied: null until the
-- registry is asked again (the copy treats such a project as not copied yet).
alter table projects add column approval_state text not null default 'approved';
alter table projects add column current_province_codes text[];

-- The registry's certificates, kept from RegistrationRecorded and RegistrationChanged (or fetched over HTTP):
-- the newest version wins. interruptions: [{ kind, from, until? }], until exclusive, none = still.
create table certificates (
    id             uuid primary key,
    ngo_id         uuid        not null,
    version        int         not null,
    issued_on      date        not null,
    expires_on     date        not null,
    status         text        not null,
    province_codes text[]      not null,
    interruptions  jsonb       not null default '[]',
    updated_at     timestamptz not null default now()
);

create index certificates_ngo on certificates (ngo_id);
