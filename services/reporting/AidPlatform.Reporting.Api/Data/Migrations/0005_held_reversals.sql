-- A reversal whose original has not been projected yet waits here, out of every report, and goes in
-- with its original: readers never see a reversal without what it reverses.
create table held_reversals (
    id            uuid primary key,
    project_id    uuid           not null,
    ngo_id        uuid           not null,
    type          text           not null,
    amount_usd    numeric(18, 2) not null,
    value_date    date           not null,
    province_code text,
    reverses_id   uuid           not null,
    occurred_at   timestamptz    not null
);

create index held_reversals_original on held_reversals (reverses_id);
