-- Monthly totals per dimension, kept in step with the cells in the same transaction, so that reports
-- without province, sector or NGO filters and with whole-month ranges read a few thousand rows
-- instead of millions. A transaction lies in one month and has one type, so its count adds up across
-- months; within one dimension key it counts once however many cells it has there.

create table agg_ngo (
    month             date          not null,
    type              text          not null,
    ngo_id            uuid          not null,
    amount_usd        numeric(20, 2) not null,
    transaction_count bigint        not null,
    primary key (month, type, ngo_id)
);

create table agg_project (
    month             date          not null,
    type              text          not null,
    project_id        uuid          not null,
    amount_usd        numeric(20, 2) not null,
    transaction_count bigint        not null,
    primary key (month, type, project_id)
);

create table agg_province (
    month             date          not null,
    type              text          not null,
    province_code     text          not null,
    amount_usd        numeric(20, 2) not null,
    transaction_count bigint        not null,
    primary key (month, type, province_code)
);

create table agg_sector (
    month             date          not null,
    type              text          not null,
    sector_code       text          not null,
    amount_usd        numeric(20, 2) not null,
    transaction_count bigint        not null,
    primary key (month, type, sector_code)
);

create table agg_category (
    month             date          not null,
    type              text          not null,
    category_code     text          not null,
    amount_usd        numeric(20, 2) not null,
    transaction_count bigint        not null,
    primary key (month, type, category_code)
);

-- Cells already projected before this migration are folded in once.
insert into agg_ngo select date_trunc('month', value_date)::date, type, ngo_id, sum(amount_usd), count(distinct transaction_id) from cells group by 1, 2, 3;
insert into agg_project select date_trunc('month', value_date)::date, type, project_id, sum(amount_usd), count(distinct transaction_id) from cells group by 1, 2, 3;
insert into agg_province select date_trunc('month', value_date)::date, type, province_code, sum(amount_usd), count(distinct transaction_id) from cells group by 1, 2, 3;
insert into agg_sector select date_trunc('month', value_date)::date, type, sector_code, sum(amount_usd), count(distinct transaction_id) from cells group by 1, 2, 3;
insert into agg_category select date_trunc('month', value_date)::date, type, category_code, sum(amount_usd), count(distinct transaction_id) from cells group by 1, 2, 3;

create index cells_province on cells (province_code);
create index cells_sector on cells (sector_code);
create index cells_category on cells (category_code);
