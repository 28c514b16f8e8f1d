-- Reference data, seeded at start-up from the CSV files in Data/Reference (see SOURCES.md there).

create table provinces (
    code       text primary key,
    name       text not null,
    name_ascii text not null,
    kind       text not null check (kind in ('city', 'province'))
);

-- The 63 units before 2025-07-01. Each merged whole into one current unit.
create table former_provinces (
    code         text primary key,
    name         text not null,
    name_ascii   text not null,
    current_code text not null references provinces (code)
);

-- OECD DAC CRS: 3-digit categories and 5-digit purpose codes; withdrawn codes kept for older data.
create table sectors (
    code          text primary key,
    name          text not null,
    category_code text not null,
    category_name text not null,
    withdrawn     boolean not null default false
);

create table activity_statuses (
    code        int primary key,
    name        text not null,
    description text not null
);
