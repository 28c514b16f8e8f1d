#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data volume: what deploy/local/lib.sh's
# ensure_database does for the local server. One role per service, owning its schema, with no rights on the
# others; each role's search_path is its schema (set here, not in the connection string, which pgBouncer
# would refuse: issue 21).
set -euo pipefail
psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
create role registry login password '${AIDP_REGISTRY_DB_PASSWORD}';
create role disbursement login password '${AIDP_DISBURSEMENT_DB_PASSWORD}';
create role reporting login password '${AIDP_REPORTING_DB_PASSWORD}';
revoke all on database ${POSTGRES_DB} from public;
grant connect, temporary on database ${POSTGRES_DB} to registry, disbursement, reporting;
revoke all on schema public from public;
create schema registry authorization registry;
create schema disbursement authorization disbursement;
create schema reporting authorization reporting;
alter role registry in database ${POSTGRES_DB} set search_path = registry;
alter role disbursement in database ${POSTGRES_DB} set search_path = disbursement;
alter role reporting in database ${POSTGRES_DB} set search_path = reporting;
SQL
