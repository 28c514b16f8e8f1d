-- NGOs, their registration certificates (Decree 58/2022/ND-CP) and their projects.

create table ngos (
    id                uuid primary key,
    version           int         not null,
    name              text        not null,
    -- lower case without diacritics, so that "ha noi" finds "Hà Nội"
    name_search       text        not null,
    acronym           text,
    country_of_origin text        not null,
    iati_org_ref      text,
    website           text,
    email             text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);

create unique index ngos_iati_org_ref on ngos (iati_org_ref) where iati_org_ref is not null;
create unique index ngos_name_country on ngos (name_search, country_of_origin);
create index ngos_country on ngos (country_of_origin);

create table registrations (
    id                     uuid primary key,
    ngo_id                 uuid        not null references ngos (id),
    kind                   text        not null check (kind in ('operation', 'representative-office')),
    certificate_number     text        not null unique,
    issued_on              date        not null,
    expires_on             date        not null check (expires_on > issued_on),
    province_codes         text[]      not null,
    current_province_codes text[]      not null,
    sector_categories      text[]      not null,
    created_at             timestamptz not null default now()
);

create index registrations_ngo on registrations (ngo_id);
create index registrations_expires_on on registrations (expires_on);

create table projects (
    id              uuid primary key,
    version         int           not null,
    ngo_id          uuid          not null references ngos (id),
    title           text          not null,
    title_search    text          not null,
    description     text,
    iati_identifier text,
    status          text          not null,
    start_date      date          not null,
    end_date        date,
    budget_amount   numeric(20, 2) not null check (budget_amount > 0),
    budget_currency text          not null,
    local_partner   text,
    created_at      timestamptz   not null default now(),
    updated_at      timestamptz   not null default now()
);

create unique index projects_iati_identifier on projects (iati_identifier) where iati_identifier is not null;
create index projects_ngo on projects (ngo_id);

create table project_sectors (
    project_id    uuid         not null references projects (id) on delete cascade,
    code          text         not null,
    category_code text         not null,
    percentage    numeric(7, 4) not null,
    primary key (project_id, code)
);

create index project_sectors_category on project_sectors (category_code);

create table project_locations (
    project_id            uuid         not null references projects (id) on delete cascade,
    province_code         text         not null,
    current_province_code text         not null,
    percentage            numeric(7, 4) not null,
    primary key (project_id, province_code)
);

create index project_locations_current on project_locations (current_province_code);
