-- Registration certificates as the registry records them, for figures on who may operate where.
create table registrations (
    id                uuid primary key,
    ngo_id            uuid   not null,
    kind              text   not null,
    issued_on         date   not null,
    expires_on        date   not null,
    province_codes    text[] not null,
    sector_categories text[] not null
);

create index registrations_ngo on registrations (ngo_id);
