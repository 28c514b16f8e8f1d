-- Tables the ServiceDefaults specs write to, migrated like a service's own.
create table widgets (
    id   uuid primary key,
    name text not null
);

create table effects (
    message_id uuid not null,
    applied_at timestamptz not null default now()
);
