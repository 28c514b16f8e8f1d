# Shared by deploy/local/up, down, scratch and tests/run, so the tests ensure the infrastructure
# through the same code as a newcomer's `up`. Source it; every setting can be overridden from the
# environment. Setting AIDP_PG_HOST or AIDP_RABBIT_HOST means "use that server": nothing is
# installed or started for it.

AIDP_ROOT=${AIDP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
AIDP_LOCAL_DIR=${AIDP_LOCAL_DIR:-$AIDP_ROOT/.local}

[ -n "${AIDP_PG_HOST:-}" ] && AIDP_PG_EXTERNAL=1 || AIDP_PG_EXTERNAL=0
[ -n "${AIDP_RABBIT_HOST:-}" ] && AIDP_RABBIT_EXTERNAL=1 || AIDP_RABBIT_EXTERNAL=0

AIDP_PG_HOST=${AIDP_PG_HOST:-127.0.0.1}
AIDP_PG_PORT=${AIDP_PG_PORT:-55432}
AIDP_PG_SUPERUSER=${AIDP_PG_SUPERUSER:-postgres}
AIDP_PG_SUPERPASSWORD=${AIDP_PG_SUPERPASSWORD:-aidplatform-local}
AIDP_DB=${AIDP_DB:-aidplatform}
AIDP_RABBIT_HOST=${AIDP_RABBIT_HOST:-127.0.0.1}
AIDP_RABBIT_PORT=${AIDP_RABBIT_PORT:-55672}
AIDP_RABBIT_DIST_PORT=${AIDP_RABBIT_DIST_PORT:-55673}
# One node name per port, so a second checkout on other ports never collides in epmd.
AIDP_RABBIT_NODE=${AIDP_RABBIT_NODE:-aidplatform-$AIDP_RABBIT_PORT@localhost}
AIDP_RABBIT_USER=${AIDP_RABBIT_USER:-aidplatform}
AIDP_RABBIT_PASSWORD=${AIDP_RABBIT_PASSWORD:-aidplatform-local}
AIDP_RABBIT_VHOST=${AIDP_RABBIT_VHOST:-aidplatform}
AIDP_REGISTRY_PORT=${AIDP_REGISTRY_PORT:-5101}
AIDP_DISBURSEMENT_PORT=${AIDP_DISBURSEMENT_PORT:-5102}
AIDP_REPORTING_PORT=${AIDP_REPORTING_PORT:-5103}
AIDP_SERVICES=(registry disbursement reporting)
# Development only: the HS256 key deploy/local/token signs with. Production configures Auth__Authority instead.
AIDP_JWT_SIGNING_KEY=${AIDP_JWT_SIGNING_KEY:-aidplatform-local-development-signing-key-not-for-production}

PG_BIN=/usr/lib/postgresql/15/bin
RUN_DIR=$AIDP_LOCAL_DIR/run
LOG_DIR=$AIDP_LOCAL_DIR/logs

export AIDP_PG_HOST AIDP_PG_PORT AIDP_PG_SUPERUSER AIDP_PG_SUPERPASSWORD AIDP_DB \
  AIDP_RABBIT_HOST AIDP_RABBIT_PORT AIDP_RABBIT_USER AIDP_RABBIT_PASSWORD AIDP_RABBIT_VHOST \
  AIDP_REGISTRY_PORT AIDP_DISBURSEMENT_PORT AIDP_REPORTING_PORT AIDP_JWT_SIGNING_KEY
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

service_password() { local var="AIDP_${1^^}_DB_PASSWORD"; echo "${!var:-$1-local}"; }
service_port() { local var="AIDP_${1^^}_PORT"; echo "${!var}"; }
service_dll() { local pascal="${1^}"; echo "$AIDP_ROOT/services/$1/AidPlatform.$pascal.Api/bin/Release/net10.0/AidPlatform.$pascal.Api.dll"; }

# PostgreSQL and RabbitMQ run as their own users: every folder above .local must let them through
# (a clone under `mktemp -d` is 0700).
make_traversable() {
  local dir=$1
  while [ "$dir" != "/" ]; do
    [ -n "$(find "$dir" -maxdepth 0 -perm -o=x)" ] || chmod o+x "$dir"
    dir=$(dirname "$dir")
  done
}

ensure_packages() {
  local missing=()
  if [ "$AIDP_PG_EXTERNAL" = 0 ] && [ ! -x "$PG_BIN/initdb" ]; then missing+=(postgresql); fi
  if [ "$AIDP_RABBIT_EXTERNAL" = 0 ] && [ ! -x /usr/sbin/rabbitmq-server ]; then missing+=(rabbitmq-server); fi
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

pg_answers() { "$PG_BIN/pg_isready" -q -h "$AIDP_PG_HOST" -p "${1:-$AIDP_PG_PORT}"; }

# pg_start DATA_DIR PORT [ARCHIVE_DIR]: initdb once (password auth over TCP) and start, waiting up to 30 s.
# With ARCHIVE_DIR, WAL archiving is on (pg_archive_config): deploy/local/backup and restore use it.
pg_start() {
  local data=$1 port=$2 archive=${3:-} base
  base=$(dirname "$data")
  mkdir -p "$data" "$base/run" "$base/log"
  make_traversable "$base"
  chown -R postgres:postgres "$base"
  chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    local pwfile="$base/run/.pwfile"
    printf '%s\n' "$AIDP_PG_SUPERPASSWORD" > "$pwfile"; chown postgres "$pwfile"; chmod 600 "$pwfile"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -U "$AIDP_PG_SUPERUSER" --pwfile="$pwfile" \
      --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$base/log/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$base/log/initdb.log" >&2; die "initdb failed in $data"; }
    rm -f "$pwfile"
  fi
  [ -z "$archive" ] || pg_archive_config "$data" "$archive"
  # synchronous_commit stays on: an acknowledged commit survives a crash.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -l "$base/log/postgres.log" -w -t 30 \
    -o "-p $port -k $base/run -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
    || { tail -20 "$base/log/postgres.log" >&2; die "PostgreSQL did not start on port $port"; }
}

# pg_archive_config DATA_DIR ARCHIVE_DIR: archive_mode on, each completed WAL segment copied into ARCHIVE_DIR
# once that directory exists (deploy/local/backup creates it): until then archiving keeps nothing, so a server
# nobody backs up does not fill a disk. A segment already archived is accepted again only if identical.
# archive_mode is read at start only: a server already running keeps what it started with.
pg_archive_config() {
  local data=$1 dir=$2
  printf '%s\n' "# Written by deploy/local/lib.sh (pg_archive_config)" "archive_mode = on" \
    "archive_command = 'test ! -d \"$dir\" || cmp -s %p \"$dir/%f\" || { test ! -f \"$dir/%f\" && cp %p \"$dir/%f.part\" && mv \"$dir/%f.part\" \"$dir/%f\"; }'" \
    > "$data/aidplatform-archive.conf"
  chown postgres:postgres "$data/aidplatform-archive.conf"
  grep -q "^include_if_exists = 'aidplatform-archive.conf'" "$data/postgresql.conf" \
    || echo "include_if_exists = 'aidplatform-archive.conf'" >> "$data/postgresql.conf"
}

pg_stop() {
  local data=$1 mode=${2:-fast}
  [ -f "$data/postmaster.pid" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
}

ensure_postgres() {
  if pg_answers; then return 0; fi
  [ "$AIDP_PG_EXTERNAL" = 1 ] && die "PostgreSQL at $AIDP_PG_HOST:$AIDP_PG_PORT does not answer"
  say "starting PostgreSQL on 127.0.0.1:$AIDP_PG_PORT (data in $AIDP_LOCAL_DIR/pg)"
  pg_start "$AIDP_LOCAL_DIR/pg/data" "$AIDP_PG_PORT" "$AIDP_LOCAL_DIR/backup/wal"
  mkdir -p "$RUN_DIR"; touch "$RUN_DIR/postgres.started"
}

rabbit_env() { # NODE PORT DIST_PORT DIR
  echo "RABBITMQ_NODENAME=$1 RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$2 RABBITMQ_DIST_PORT=$3" \
       "RABBITMQ_MNESIA_BASE=$4/mnesia RABBITMQ_LOG_BASE=$4/log RABBITMQ_ENABLED_PLUGINS_FILE=$4/enabled_plugins" \
       "RABBITMQ_CONFIG_FILE=$4/rabbitmq ERL_EPMD_ADDRESS=127.0.0.1"
}

rabbitctl() { local node=$1; shift; rabbitmqctl -q -n "$node" "$@"; }

# The node runs as `rabbitmq` with its cookie; rabbitmqctl as root must present the same one.
share_erlang_cookie() {
  local cookie=/var/lib/rabbitmq/.erlang.cookie
  [ -f "$cookie" ] || return 0
  if ! cmp -s "$cookie" "$HOME/.erlang.cookie" 2>/dev/null; then
    install -m 400 "$cookie" "$HOME/.erlang.cookie"
  fi
}

# rabbit_start NODE PORT DIST_PORT DIR: a private node on loopback, its files owned by rabbitmq.
rabbit_start() {
  local node=$1 port=$2 dist=$3 dir=$4
  mkdir -p "$dir/mnesia" "$dir/log"
  make_traversable "$dir"
  [ -f "$dir/enabled_plugins" ] || echo '[].' > "$dir/enabled_plugins"
  # Default disk alarm (50 MB free) would block publishers on a nearly full disk; keep it explicit.
  printf 'disk_free_limit.absolute = 50MB\n' > "$dir/rabbitmq.conf"
  chown -R rabbitmq:rabbitmq "$dir"
  env $(rabbit_env "$node" "$port" "$dist" "$dir") \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    rabbitmq-server -detached >"$dir/log/start.log" 2>&1 || true
  share_erlang_cookie
  # await_startup returns at once while the node has not yet registered with epmd: poll first.
  local deadline=$((SECONDS + 60))
  until rabbitmqctl -q -n "$node" await_startup >/dev/null 2>&1 && rabbitmqctl -q -n "$node" status >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { tail -20 "$dir/log/$node.log" >&2 2>/dev/null; die "RabbitMQ node $node did not start"; }
    sleep 0.5
  done
  rabbit_ensure_user "$node"
}

rabbit_ensure_user() { # NODE
  rabbitctl "$1" list_users 2>/dev/null | grep -q "^$AIDP_RABBIT_USER\b" \
    || rabbitctl "$1" add_user "$AIDP_RABBIT_USER" "$AIDP_RABBIT_PASSWORD" >/dev/null
  rabbitctl "$1" set_user_tags "$AIDP_RABBIT_USER" administrator >/dev/null
  rabbitctl "$1" set_permissions -p / "$AIDP_RABBIT_USER" '.*' '.*' '.*' >/dev/null
}

# The Erlang VM of a node: its name is in the process environment, not on its command line.
rabbit_node_pid() {
  local node=$1 pid
  for pid in $(pgrep -u rabbitmq beam.smp); do
    tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "RABBITMQ_NODENAME=$node" && { echo "$pid"; return 0; }
  done
  return 1
}

rabbit_stop() {
  local node=$1
  share_erlang_cookie
  timeout 60 rabbitmqctl -q -n "$node" stop >/dev/null 2>&1 || true
}

# SIGKILL the node's Erlang VM, as a crash would.
rabbit_kill() {
  local pid
  pid=$(rabbit_node_pid "$1") && kill -9 "$pid"
  return 0
}

rabbit_answers() { (exec 3<>"/dev/tcp/$AIDP_RABBIT_HOST/$AIDP_RABBIT_PORT") 2>/dev/null; }

ensure_rabbitmq() {
  if rabbit_answers; then
    if [ "$AIDP_RABBIT_EXTERNAL" = 0 ]; then share_erlang_cookie; rabbit_ensure_user "$AIDP_RABBIT_NODE"; fi
    return 0
  fi
  [ "$AIDP_RABBIT_EXTERNAL" = 1 ] && die "RabbitMQ at $AIDP_RABBIT_HOST:$AIDP_RABBIT_PORT does not answer"
  say "starting RabbitMQ on 127.0.0.1:$AIDP_RABBIT_PORT (data in $AIDP_LOCAL_DIR/rabbitmq)"
  rabbit_start "$AIDP_RABBIT_NODE" "$AIDP_RABBIT_PORT" "$AIDP_RABBIT_DIST_PORT" "$AIDP_LOCAL_DIR/rabbitmq"
  mkdir -p "$RUN_DIR"; touch "$RUN_DIR/rabbitmq.started"
}

# ensure_vhost NAME [--fresh]: with an external broker the vhost must already exist.
ensure_vhost() {
  local vhost=$1 fresh=${2:-}
  if [ "$AIDP_RABBIT_EXTERNAL" = 1 ]; then return 0; fi
  if [ "$fresh" = --fresh ]; then rabbitctl "$AIDP_RABBIT_NODE" delete_vhost "$vhost" >/dev/null 2>&1 || true; fi
  rabbitctl "$AIDP_RABBIT_NODE" list_vhosts 2>/dev/null | grep -qx "$vhost" \
    || rabbitctl "$AIDP_RABBIT_NODE" add_vhost "$vhost" >/dev/null
  rabbitctl "$AIDP_RABBIT_NODE" set_permissions -p "$vhost" "$AIDP_RABBIT_USER" '.*' '.*' '.*' >/dev/null
}

psql_admin() { PGOPTIONS='-c client_min_messages=warning' PGPASSWORD=$AIDP_PG_SUPERPASSWORD psql -h "$AIDP_PG_HOST" -p "$AIDP_PG_PORT" -U "$AIDP_PG_SUPERUSER" -v ON_ERROR_STOP=1 -q -X "$@"; }

# ensure_database NAME [--fresh]: one role per service, owning its schema, with no rights on the others.
ensure_database() {
  local db=$1 fresh=${2:-} svc
  for svc in "${AIDP_SERVICES[@]}"; do
    psql_admin -d postgres -c "do \$\$ begin
        if not exists (select from pg_roles where rolname = '$svc') then
          create role $svc login nosuperuser nocreatedb nocreaterole password '$(service_password "$svc")';
        end if; end \$\$;" >/dev/null
  done
  if [ "$fresh" = --fresh ]; then psql_admin -d postgres -c "drop database if exists $db with (force)" >/dev/null; fi
  psql_admin -d postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1 \
    || psql_admin -d postgres -c "create database $db" >/dev/null
  psql_admin -d "$db" >/dev/null <<SQL
revoke all on database $db from public;
grant connect, temporary on database $db to ${AIDP_SERVICES[0]}, ${AIDP_SERVICES[1]}, ${AIDP_SERVICES[2]};
revoke all on schema public from public;
$(for svc in "${AIDP_SERVICES[@]}"; do
    echo "create schema if not exists $svc authorization $svc;"
    echo "alter role $svc in database $db set search_path = $svc;"
  done)
SQL
}

connection_string() { # SERVICE DB
  echo "Host=$AIDP_PG_HOST;Port=$AIDP_PG_PORT;Database=$2;Username=$1;Password=$(service_password "$1")"
}

build_solution() {
  say "building (Release)"
  dotnet build "$AIDP_ROOT/AidPlatform.sln" -c Release -nologo -v q -clp:ErrorsOnly >"$LOG_DIR/build.log" 2>&1 \
    || { grep -E 'error' "$LOG_DIR/build.log" | sort -u | head -40 >&2; die "build failed (full log: $LOG_DIR/build.log)"; }
}

service_alive() { # NAME
  local pidfile="$RUN_DIR/$1.pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null \
    && curl -sf -o /dev/null "http://127.0.0.1:$(service_port "$1")/health/live"
}

start_service() { # NAME
  local name=$1 port dll
  port=$(service_port "$name"); dll=$(service_dll "$name")
  if service_alive "$name"; then say "$name already runs (pid $(cat "$RUN_DIR/$name.pid"))"; return 0; fi
  [ -f "$dll" ] || die "$dll is missing: build first"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  say "starting $name on 127.0.0.1:$port"
  (
    cd "$(dirname "$dll")"
    export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
    export ConnectionStrings__Postgres="$(connection_string "$name" "$AIDP_DB")"
    export RabbitMq__Host=$AIDP_RABBIT_HOST RabbitMq__Port=$AIDP_RABBIT_PORT RabbitMq__VirtualHost=$AIDP_RABBIT_VHOST
    export RabbitMq__Username=$AIDP_RABBIT_USER RabbitMq__Password=$AIDP_RABBIT_PASSWORD
    export Services__Registry__BaseUrl=http://127.0.0.1:$AIDP_REGISTRY_PORT
    export Services__Disbursement__BaseUrl=http://127.0.0.1:$AIDP_DISBURSEMENT_PORT
    export Auth__SigningKey=$AIDP_JWT_SIGNING_KEY
    exec setsid nohup dotnet "$dll" --urls "http://127.0.0.1:$port" >>"$LOG_DIR/$name.log" 2>&1 </dev/null
  ) &
  echo $! > "$RUN_DIR/$name.pid"
}

wait_ready() { # NAME SECONDS
  local name=$1 deadline=$((SECONDS + ${2:-90})) url
  url="http://127.0.0.1:$(service_port "$name")/health/ready"
  until curl -sf -o /dev/null "$url"; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$(cat "$RUN_DIR/$name.pid" 2>/dev/null)" 2>/dev/null; then
      tail -30 "$LOG_DIR/$name.log" >&2
      die "$name did not become ready at $url"
    fi
    sleep 0.5
  done
}

stop_service() { # NAME
  local pidfile="$RUN_DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping $1 (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$pidfile"
}
