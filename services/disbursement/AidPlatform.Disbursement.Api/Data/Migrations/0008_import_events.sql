-- An import's events are written after its rows commit, by a resumable writer, so that the import's own
-- transaction is only the rows. Each row names its import; the writer walks the import's rows in id order
-- and records, in the transaction that adds each run of parts to the outbox, how far it got. Ids are version
-- 7, so an import's rows arrive at the index's right edge: it costs its COPY little.
alter table disbursements add column import_id uuid;
create index disbursements_import on disbursements (import_id, id) where import_id is not null;

alter table import_progress
    add column event_parts   int  not null default 0,
    add column parts_written int  not null default 0,
    -- the last row whose event is in the outbox; before the first part, a bound below every row of the import
    add column events_after  uuid,
    add check (parts_written <= event_parts);
