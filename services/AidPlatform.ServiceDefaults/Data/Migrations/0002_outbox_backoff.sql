-- A row the broker refused (no queue bound, or the broker down) waits before its next try, so that
-- it never holds up the rows behind it.
alter table outbox_messages add column if not exists next_attempt_at timestamptz;

drop index if exists outbox_messages_pending;
create index outbox_messages_pending
    on outbox_messages (created_at, id) where sent_at is null and failed_at is null;
