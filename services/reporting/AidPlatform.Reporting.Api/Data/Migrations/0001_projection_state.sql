-- How far the projections have come: one row, updated by every consumer in its own transaction.
create table projection_state (
    id                int primary key check (id = 1),
    events_processed  bigint      not null default 0,
    last_event_at     timestamptz,
    last_processed_at timestamptz
);

insert into projection_state (id) values (1) on conflict do nothing;
