-- A counter bumped in the same transaction as any change to the exchange rates, so that a process may
-- keep the rate table in memory and reload it only when the counter moved. (A max(updated_at) would
-- not do: two overlapping transactions can commit in the other order than their timestamps.)
create table reference_version (
    id      int    primary key check (id = 1),
    version bigint not null
);

insert into reference_version (id, version) values (1, 0);

create function reference_version_bump() returns trigger language plpgsql as $$
begin
    update reference_version set version = version + 1 where id = 1;
    return null;
end $$;

create trigger exchange_rates_changed after insert or update or delete or truncate on exchange_rates
    for each statement execute function reference_version_bump();
