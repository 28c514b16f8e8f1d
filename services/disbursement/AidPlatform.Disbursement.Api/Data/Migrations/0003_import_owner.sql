-- The partner NGO that uploaded an import, if a partner did: its rows must be for that NGO's projects,
-- and only that partner (or the ministry and auditors) may read the import's progress.
alter table imports add column partner_ngo_id uuid;
