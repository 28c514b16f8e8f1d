-- The relay sends a payload exactly as it was written and never looks inside it, so json (checked to be JSON,
-- stored as written) instead of jsonb (parsed into a tree on every insert): an import writes hundreds of MB
-- of event parts, and building jsonb was a large share of its time.
alter table outbox_messages alter column payload type json using payload::json;
-- An import's part is some 200 KB of JSON, compressed into TOAST as it is written: lz4 compresses several
-- times faster than the default pglz, and the row lives only until the broker confirms it.
alter table outbox_messages alter column payload set compression lz4;

-- The relay deletes what the broker confirmed, so a row is pending unless parked: sent_at has no use left.
drop index if exists outbox_messages_pending;
alter table outbox_messages drop column if exists sent_at;
create index outbox_messages_pending on outbox_messages (created_at, id) where failed_at is null;
