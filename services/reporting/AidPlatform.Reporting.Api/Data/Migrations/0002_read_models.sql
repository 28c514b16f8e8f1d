-- Read models projected from registry and disbursement events. Every table is rebuilt from events
-- only; nothing here is entered by hand except the reference labels seeded at start-up.

create table province_labels (
    code text primary key,
    name text not null
);

-- Any code a partner may send (current or former) to the current unit it belongs to.
create table province_codes (
    code         text primary key,
    current_code text not null references province_labels (code)
);

create table sector_labels (
    code          text primary key,
    name          text not null,
    category_code text not null,
    category_name text not null
);

create table ngos (
    id      uuid primary key,
    version int  not null,
    name    text not null,
    country text not null
);

create table projects (
    id              uuid primary key,
    version         int           not null,
    ngo_id          uuid          not null,
    title           text          not null,
    status          text          not null,
    start_date      date          not null,
    end_date        date,
    budget_amount   numeric(20, 2) not null,
    budget_currency text          not null
);

create table project_sectors (
    project_id    uuid         not null references projects (id) on delete cascade,
    sector_code   text         not null,
    category_code text         not null,
    percentage    numeric(9, 4) not null,
    primary key (project_id, sector_code)
);

create table project_locations (
    project_id    uuid         not null references projects (id) on delete cascade,
    province_code text         not null,
    percentage    numeric(9, 4) not null,
    primary key (project_id, province_code)
);

-- One row per ledger row, reversals included (with negative amounts).
create table transactions (
    id            uuid primary key,
    project_id    uuid          not null,
    ngo_id        uuid          not null,
    type          text          not null,
    amount_usd    numeric(18, 2) not null,
    value_date    date          not null,
    province_code text,
    reverses_id   uuid,
    occurred_at   timestamptz   not null
);

create index transactions_project on transactions (project_id);

-- Each transaction split over province x sector cells by the project's percentages, with
-- largest-remainder rounding, so every breakdown of the cells sums to the cent to the summary.
-- '' marks a dimension not known yet (the project has not arrived); it is re-allocated when it does.
create table cells (
    transaction_id uuid          not null references transactions (id) on delete cascade,
    project_id     uuid          not null,
    ngo_id         uuid          not null,
    type           text          not null,
    value_date     date          not null,
    province_code  text          not null,
    sector_code    text          not null,
    category_code  text          not null,
    amount_usd     numeric(18, 2) not null,
    primary key (transaction_id, province_code, sector_code)
);

create index cells_project on cells (project_id);
create index cells_value_date on cells (value_date);
create index cells_ngo on cells (ngo_id);

-- Freshness: one row per projected event, appended without contention (a single counter row
-- would serialise every consumer on its lock).
drop table projection_state;

create table processed_events (
    message_id   uuid primary key,
    event_type   text        not null,
    occurred_at  timestamptz not null,
    processed_at timestamptz not null default clock_timestamp()
);

create index processed_events_processed_at on processed_events (processed_at);
