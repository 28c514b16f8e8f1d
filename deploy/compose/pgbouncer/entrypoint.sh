#!/bin/sh
# The users pgBouncer accepts, with the passwords it also presents to PostgreSQL (SCRAM both ways),
# written from the environment at start so that no password is baked into the image.
set -eu
umask 077
{
  printf '"registry" "%s"\n' "$AIDP_REGISTRY_DB_PASSWORD"
  printf '"disbursement" "%s"\n' "$AIDP_DISBURSEMENT_DB_PASSWORD"
  printf '"reporting" "%s"\n' "$AIDP_REPORTING_DB_PASSWORD"
} > /run/pgbouncer/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
