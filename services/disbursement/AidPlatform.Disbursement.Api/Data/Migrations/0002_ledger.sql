-- The append-only ledger. A row is never updated or deleted: a mistake is corrected by a reversal,
-- a negative row linked to the original, and "reversed" is derived from its existence.

-- Any province code (current or former) to its current unit, seeded from the reference CSVs.
create table province_codes (
    code         text primary key,
    current_code text not null
);

-- The local copy of the registry's projects, kept from its events (or fetched once over HTTP).
create table projects (
    id         uuid primary key,
    version    int         not null,
    ngo_id     uuid        not null,
    status     text        not null,
    start_date date        not null,
    end_date   date,
    updated_at timestamptz not null default now()
);

create table disbursements (
    id                    uuid primary key,
    ngo_id                uuid          not null,
    project_id            uuid          not null,
    type                  text          not null check (type in ('commitment', 'disbursement', 'expenditure')),
    amount                numeric(20, 2) not null check (amount <> 0),
    currency              text          not null,
    amount_usd            numeric(20, 2) not null,
    fx_rate               numeric(20, 6) not null check (fx_rate > 0),
    fx_rate_month         date          not null,
    value_date            date          not null,
    province_code         text,
    current_province_code text,
    reference             text          not null,
    description           text,
    -- set on a reversal row only; unique, so a second reversal of the same row is refused
    reverses_id           uuid unique references disbursements (id),
    recorded_at           timestamptz   not null default now(),
    check ((reverses_id is null) = (amount > 0))
);

-- The partner's own reference is unique per NGO.
create unique index disbursements_reference on disbursements (ngo_id, reference);
create index disbursements_project on disbursements (project_id);
create index disbursements_value_date on disbursements (value_date);

create table imports (
    id          uuid primary key,
    file_path   text        not null,
    created_at  timestamptz not null default now()
);

-- Progress lives apart from the job row, which the worker keeps locked while it imports.
create table import_progress (
    import_id   uuid primary key references imports (id),
    status      text        not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    rows_total  bigint      not null default 0,
    rows_done   bigint      not null default 0,
    errors      jsonb       not null default '[]',
    updated_at  timestamptz not null default now()
);
