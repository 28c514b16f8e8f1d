-- Each rate carries a version (its ETag) and every change is kept: a figure converted at a rate that
-- was later corrected can still be explained.
alter table exchange_rates add column version int not null default 1;

create table exchange_rate_history (
    currency      text           not null,
    month         date           not null,
    version       int            not null,
    units_per_usd numeric(20, 6) not null,
    source        text           not null,
    changed_at    timestamptz    not null,
    primary key (currency, month, version)
);

insert into exchange_rate_history select currency, month, version, units_per_usd, source, updated_at from exchange_rates;

-- Written by the database in the same statement as the change, so no path can skip it.
create function exchange_rate_history_append() returns trigger language plpgsql as $$
begin
    insert into exchange_rate_history values (new.currency, new.month, new.version, new.units_per_usd, new.source, new.updated_at)
    on conflict do nothing;
    return null;
end $$;

create trigger exchange_rates_history after insert or update on exchange_rates
    for each row execute function exchange_rate_history_append();
