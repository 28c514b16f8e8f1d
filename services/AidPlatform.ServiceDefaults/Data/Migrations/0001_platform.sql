-- Tables every service keeps in its own schema: the outbox, the inbox and idempotency keys.

create table if not exists outbox_messages (
    id           uuid primary key,
    message_type text        not null,
    payload      jsonb       not null,
    created_at   timestamptz not null default now(),
    sent_at      timestamptz,
    -- A row whose payload can no longer be read is parked here rather than retried for ever.
    failed_at    timestamptz,
    attempts     int         not null default 0,
    last_error   text
);

create index if not exists outbox_messages_pending
    on outbox_messages (created_at, id) where sent_at is null and failed_at is null;

-- NOTIFY is delivered on commit only, so the relay wakes right after a commit and never for a rollback.
create or replace function outbox_messages_notify() returns trigger
language plpgsql as $$
begin
    perform pg_notify('outbox_' || tg_table_schema, '');
    return null;
end
$$;

drop trigger if exists outbox_messages_notify on outbox_messages;
create trigger outbox_messages_notify
    after insert on outbox_messages
    for each statement execute function outbox_messages_notify();

create table if not exists inbox_messages (
    message_id   uuid        not null,
    consumer     text        not null,
    processed_at timestamptz not null default now(),
    primary key (message_id, consumer)
);

create table if not exists idempotency_keys (
    scope        text        not null,
    key          text        not null,
    request_hash bytea       not null,
    status_code  int,
    content_type text,
    location     text,
    etag         text,
    body         bytea,
    created_at   timestamptz not null default now(),
    completed_at timestamptz,
    primary key (scope, key)
);
