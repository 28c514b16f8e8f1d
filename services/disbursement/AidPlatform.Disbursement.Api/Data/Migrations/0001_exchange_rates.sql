-- Currencies the ledger accepts, with their minor units (0 for VND, JPY, KRW), and monthly FX rates.

create table currencies (
    code        text primary key check (code ~ '^[A-Z]{3}$'),
    minor_units int  not null check (minor_units between 0 and 4)
);

-- Units of currency per 1 USD, the monthly average. A ledger row stores the rate it used, so
-- changing a rate here never rewrites what was recorded.
create table exchange_rates (
    currency      text          not null references currencies (code),
    month         date          not null check (extract(day from month) = 1),
    units_per_usd numeric(20, 6) not null check (units_per_usd > 0),
    source        text          not null,
    updated_at    timestamptz   not null default now(),
    primary key (currency, month)
);
