-- The currency-months that refused ledger entries needed and lacked, so the ministry sees which rates to
-- upload. Written after a refusal, outside its (rolled back) work: a refusal still writes no ledger row.
create table rate_gaps (
    currency         text        not null,
    month            date        not null check (extract(day from month) = 1),
    first_refused_at timestamptz not null default now(),
    last_refused_at  timestamptz not null default now(),
    refused_entries  bigint      not null check (refused_entries > 0),
    primary key (currency, month)
);
