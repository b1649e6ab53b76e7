# Shared settings and helpers for scripts/run.sh, scripts/test.sh and scripts/bench.sh.
# Source it; every setting can be overridden from the environment.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON_BIN="${PYTHON_BIN:-python3}"
LOCAL_DIR="$PROJECT_DIR/.local"
PGDATA_DIR="$LOCAL_DIR/pgdata"
DB_HOST="${DB_HOST:-127.0.0.1}"
DB_PORT="${DB_PORT:-5432}"
DB_USER="${DB_USER:-odoo}"
DB_PASSWORD="${DB_PASSWORD:-odoo}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"

# ------------------------------------------------------------------ Odoo versions
# The addons run on Odoo 18.0 and 19.0 from the same files. Each version has its checkout
# and its virtualenv: ODOO18_PATH (/opt/odoo) with VENV18_DIR (.venv), ODOO19_PATH
# (/opt/odoo19) with VENV19_DIR (.venv-19). ODOO_VERSION=19 chooses 19.0 (default 18);
# ODOO_PATH, when given, is the checkout to use, whichever version it is.
SUPPORTED_ODOO_VERSIONS="18 19"
ODOO18_PATH="${ODOO18_PATH:-/opt/odoo}"
ODOO19_PATH="${ODOO19_PATH:-/opt/odoo19}"
VENV18_DIR="${VENV18_DIR:-${VENV_DIR:-$PROJECT_DIR/.venv}}"
VENV19_DIR="${VENV19_DIR:-$PROJECT_DIR/.venv-19}"

# odoo_major PATH: the major version of the Odoo checkout at PATH (e.g. 18), empty if none.
odoo_major() {
    sed -nE 's/^version_info = \(([0-9]+), .*/\1/p' "$1/odoo/release.py" 2>/dev/null | head -n1
}

# use_odoo VERSION: the checkout, virtualenv, addons path and demo-data options of that
# Odoo version (ODOO_VERSION, ODOO_SERIES, ODOO_PATH, VENV_DIR, ODOO_ADDONS_PATH,
# NO_DEMO_ARGS, DEMO_ARGS). Odoo 19.0 keeps every module under odoo/addons and installs
# demo data only when asked (--with-demo); 18.0 installs it unless --without-demo=all.
use_odoo() {
    case "$1" in
        18) ODOO_PATH="$ODOO18_PATH"; VENV_DIR="$VENV18_DIR"
            NO_DEMO_ARGS=(--without-demo=all); DEMO_ARGS=() ;;
        19) ODOO_PATH="$ODOO19_PATH"; VENV_DIR="$VENV19_DIR"
            NO_DEMO_ARGS=(); DEMO_ARGS=(--with-demo) ;;
        *) die "ODOO_VERSION=$1: the supported versions are $SUPPORTED_ODOO_VERSIONS" ;;
    esac
    ODOO_VERSION="$1"
    ODOO_SERIES="$1.0"
    local dir paths=()
    for dir in "$ODOO_PATH/addons" "$ODOO_PATH/odoo/addons"; do
        [ -d "$dir" ] && paths+=("$dir")
    done
    paths+=("$PROJECT_DIR")
    ODOO_ADDONS_PATH="$(IFS=,; echo "${paths[*]}")"
    export ODOO_PATH ODOO_VERSION ODOO_ADDONS_PATH
}

log() { printf '[logistics_crm] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ODOO_PATH given: its version; else ODOO_VERSION, else 18.0.
if [ -n "${ODOO_PATH:-}" ]; then
    ODOO_VERSION="$(odoo_major "$ODOO_PATH")"
    case "$ODOO_VERSION" in
        18) ODOO18_PATH="$ODOO_PATH" ;;
        19) ODOO19_PATH="$ODOO_PATH" ;;
        *) die "ODOO_PATH=$ODOO_PATH is not an Odoo checkout of a supported version" \
            "($SUPPORTED_ODOO_VERSIONS)" ;;
    esac
fi
use_odoo "${ODOO_VERSION:-18}"

check_odoo() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/odoo/addons/base" ]; then
        die "no Odoo $ODOO_SERIES found at $ODOO_PATH.
  Point ODOO${ODOO_VERSION}_PATH (or ODOO_PATH) at an Odoo $ODOO_SERIES Community checkout, e.g.
    make test ODOO${ODOO_VERSION}_PATH=/path/to/odoo-$ODOO_SERIES"
    fi
    local major
    major="$(odoo_major "$ODOO_PATH")"
    [ "$major" = "$ODOO_VERSION" ] \
        || die "$ODOO_PATH is Odoo ${major:-of an unknown version}, not $ODOO_SERIES"
    local dir complete=0
    for dir in ${ODOO_ADDONS_PATH//,/ }; do
        [ -d "$dir/web/static/lib/owl" ] && complete=1
    done
    if [ "$complete" = 0 ]; then
        die "the Odoo checkout at $ODOO_PATH is incomplete: web/static/lib is missing"
    fi
}

# Odoo's requirements, except psycopg2 (replaced by psycopg2-binary from our requirements.txt)
# and python-ldap (only auth_ldap uses it, and it needs LDAP headers to compile).
odoo_requirements() {
    grep -viE '^(psycopg2|python-ldap)[=; ]' "$ODOO_PATH/requirements.txt"
}

ensure_venv() {
    local stamp="$VENV_DIR/.logistics_crm_installed"
    local wanted
    wanted="$( { odoo_requirements; cat "$PROJECT_DIR/requirements.txt" \
        "$PROJECT_DIR/requirements-dev.txt"; } | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return
    fi
    log "installing Python requirements into $VENV_DIR"
    [ -x "$VENV_DIR/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV_DIR"
    local constraints="$VENV_DIR/build-constraints.txt"
    # Some of Odoo's pinned sdists still import pkg_resources in setup.py.
    echo 'setuptools<75' > "$constraints"
    odoo_requirements > "$VENV_DIR/odoo-requirements.txt"
    PIP_CONSTRAINT="$constraints" "$VENV_DIR/bin/pip" install -q --disable-pip-version-check \
        'setuptools<75' wheel
    PIP_CONSTRAINT="$constraints" "$VENV_DIR/bin/pip" install -q --disable-pip-version-check \
        -r "$VENV_DIR/odoo-requirements.txt" \
        -r "$PROJECT_DIR/requirements.txt" \
        -r "$PROJECT_DIR/requirements-dev.txt"
    echo "$wanted" > "$stamp"
}

pg_reachable() {
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" >/dev/null 2>&1
}

# Runs a PostgreSQL server binary as an unprivileged user when we are root.
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

PG_STARTED_HERE=0
ensure_postgres() {
    if pg_reachable; then
        return
    fi
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] \
        || die "no PostgreSQL server at $DB_HOST:$DB_PORT and no server binaries to start one"
    mkdir -p "$LOCAL_DIR"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$LOCAL_DIR"; then
        # The server runs as the postgres user, who cannot enter this checkout
        # (e.g. a clone under a private temporary folder): keep its data beside it.
        PGDATA_DIR="${TMPDIR:-/tmp}/logistics_crm_pgdata_$(echo "$PROJECT_DIR" | sha1sum | cut -c1-8)"
        log "the postgres user cannot reach $LOCAL_DIR: cluster data goes to $PGDATA_DIR"
    fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        log "creating a project-local PostgreSQL cluster in $PGDATA_DIR"
        mkdir -p "$PGDATA_DIR"
        if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDATA_DIR"; fi
        as_pg_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust \
            -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    log "starting PostgreSQL on $DB_HOST:$DB_PORT"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w start \
        -o "-h $DB_HOST -p $DB_PORT -k /tmp" >/dev/null
    PG_STARTED_HERE=1
    psql -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1 \
        || psql -q -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -c \
            "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
    # DROP DATABASE ... WITH (FORCE) must also end an autovacuum worker of the database,
    # which runs without a role: only pg_signal_backend may signal it.
    psql -q -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -c \
        "GRANT pg_signal_backend TO \"$DB_USER\"" >/dev/null
}

stop_postgres_if_started() {
    if [ "$PG_STARTED_HERE" = 1 ]; then
        log "stopping the PostgreSQL server started for this run"
        as_pg_owner "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null || true
        PG_STARTED_HERE=0
    fi
}

# The Odoo command line (python odoo-bin and the connection options) as an array: a process
# started from it is Odoo itself, never a shell function's subshell. It serves this machine
# only unless HTTP_INTERFACE says otherwise (19.0 warns when no interface is given).
odoo_command() {
    ODOO_CMD=(env PGPASSWORD="$DB_PASSWORD" "$VENV_DIR/bin/python" "$ODOO_PATH/odoo-bin"
        --addons-path="$ODOO_ADDONS_PATH" --http-interface="${HTTP_INTERFACE:-127.0.0.1}"
        --db_host="$DB_HOST" --db_port="$DB_PORT"
        --db_user="$DB_USER" --db_password="$DB_PASSWORD")
}

# Processes started by start_process, each the leader of its own process group.
STARTED_PIDS=()

# start_process LOG CMD...: runs CMD in the background in a new process group (setsid), its
# output in LOG ("-": the caller's stdout and stderr); sets STARTED_PID to CMD's own PID, which is also the group's id, so that
# stop_process ends CMD and everything it started (Chromium for the tours, workers).
start_process() {
    local out="$1"
    shift
    if [ "$out" = - ]; then
        setsid "$@" </dev/null &
    else
        setsid "$@" >"$out" 2>&1 </dev/null &
    fi
    STARTED_PID=$!
    STARTED_PIDS+=("$STARTED_PID")
}

# True while a process of group PGID still runs. A zombie does not count: it is dead and
# only waits to be reaped (kill -0 succeeds on it, so a loop on kill -0 could wait forever).
group_alive() {
    kill -0 -- "-$1" 2>/dev/null || return 1
    ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ {up = 1} END {exit !up}'
}

# stop_process PID [TIMEOUT]: TERM to the whole group, KILL after TIMEOUT seconds (default 30),
# then reaps it. Returns non-zero when the group had to be killed.
stop_process() {
    local pid="$1" timeout="${2:-30}" rc=0
    if group_alive "$pid"; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        local waited=0
        while group_alive "$pid" && [ "$waited" -lt $((timeout * 10)) ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if group_alive "$pid"; then
            log "process group $pid ignored TERM for ${timeout}s: killing it"
            kill -KILL -- "-$pid" 2>/dev/null || true
            while group_alive "$pid"; do sleep 0.1; done
            rc=1
        fi
    fi
    wait "$pid" 2>/dev/null || true
    local kept=()
    for p in "${STARTED_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
    STARTED_PIDS=("${kept[@]}")
    return "$rc"
}

stop_all_processes() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do stop_process "$pid" 10 || true; done
}

# run_process LOG CMD...: start_process, then wait for CMD; returns its exit code. A signal
# to this script interrupts the wait at once, so its trap can end the group.
run_process() {
    start_process "$@"
    local pid="$STARTED_PID" rc=0
    wait "$pid" || rc=$?
    stop_process "$pid" 10 || true
    return "$rc"
}

# True when something listens on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
    if port_in_use "$1"; then
        local owner
        owner="$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -oE 'pid=[0-9]+' | head -n1 || true)"
        die "port $1 is already in use${owner:+ ($owner)}: an earlier run left a server behind?
  Stop it, or choose another port."
    fi
}

# The databases an Odoo server on PORT serves (JSON-RPC /web/database/list), one per line.
served_databases() {
    curl -sf --max-time 5 -H 'Content-Type: application/json' \
        -d '{"jsonrpc": "2.0", "method": "call", "params": {}}' \
        "http://127.0.0.1:$1/web/database/list" \
        | python3 -c 'import json, sys; print("\n".join(json.load(sys.stdin)["result"]))'
}

# start_odoo_server LOG PORT DB [ODOO ARGS...]: serves DB alone on PORT and waits until the
# server answering on PORT is this one (its process alive, serving exactly DB). Sets
# SERVER_PID; dies with the log's tail when the port is taken or the server does not come up.
start_odoo_server() {
    local out="$1" port="$2" db="$3"
    shift 3
    require_free_port "$port"
    odoo_command
    start_process "$out" "${ODOO_CMD[@]}" -d "$db" --db-filter="^${db}\$" \
        --http-port="$port" "$@"
    SERVER_PID="$STARTED_PID"
    local _
    for _ in $(seq 1 "${SERVER_START_TIMEOUT:-120}"); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 20 "$out" >&2 || true
            stop_process "$SERVER_PID" 5 || true
            die "the Odoo server for $db exited during start-up: see $out"
        fi
        if [ "$(served_databases "$port" 2>/dev/null || true)" = "$db" ]; then
            return 0
        fi
        sleep 1
    done
    stop_process "$SERVER_PID" 10 || true
    die "no Odoo server serving $db answered on port $port: see $out"
}

# odoo_bin ARGS...: odoo-bin in the foreground of the caller, in its own process group (so
# that a trap can end it with whatever it started); returns its exit code.
odoo_bin() {
    odoo_command
    run_process - "${ODOO_CMD[@]}" "$@"
}

# Drops a database after ending the sessions still connected to it; says why when it cannot.
drop_db() {
    local err attempt
    for attempt in 1 2 3 4 5; do
        err="$(PGPASSWORD="$DB_PASSWORD" dropdb --if-exists --force -h "$DB_HOST" \
            -p "$DB_PORT" -U "$DB_USER" "$1" 2>&1)" && return 0
        # on a server we did not start, the role may lack pg_signal_backend: an
        # autovacuum worker of the database then blocks FORCE until it finishes
        [ "$attempt" = 5 ] || sleep 2
    done
    log "ERROR: could not drop database $1: $err"
    return 1
}

# Throw-away databases of one make test run (RUN_ID: the run's shell PID).
test_db_name() { echo "logistics_crm_test_$1_$2"; }

# run_leftovers RUN_ID: prints what a finished run left behind (Odoo processes serving its
# databases, its databases) and fails when there is anything.
run_leftovers() {
    local pattern="logistics_crm_test_[a-z]+_$1" found=""
    local procs dbs
    procs="$(pgrep -af -- "odoo-bin.*$pattern([^0-9]|\$)" || true)"
    [ -z "$procs" ] || found+="processes: $procs; "
    dbs="$(PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" \
        -d postgres -tAc "SELECT string_agg(datname, ' ') FROM pg_database
                          WHERE datname ~ '^${pattern}\$'")"
    [ -z "$dbs" ] || found+="databases: $dbs; "
    found+="$(replica_leftovers "$1")"
    echo "$found"
    [ -z "$found" ]
}

db_exists() {
    PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

ensure_chromium() {
    if command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
        || command -v google-chrome >/dev/null; then
        return
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing Debian's chromium for the UI tours"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
            >/dev/null 2>&1 \
            || log "WARNING: could not install chromium; the UI tours will be skipped," \
                "which fails make test"
    else
        log "WARNING: no Chromium found and not root: install Debian's 'chromium' package," \
            "or the UI tours (HttpCase) will be skipped, which fails make test"
    fi
}

# ------------------------------------------------------------------ make test's counts
# A test that did not run proves nothing: a skipped Odoo test (a UI tour without Chromium
# or websocket-client) or a skipped integration test fails the run. On a machine without
# a browser, LOGISTICS_CRM_ALLOW_SKIPS=1 lets skips through, counted as "skipped"; CI
# (CI=true) ignores it.
skips_allowed() {
    [ "${LOGISTICS_CRM_ALLOW_SKIPS:-0}" = 1 ] && [ "${CI:-}" != true ]
}

# summary_count SUMMARY WORD: the number before WORD in a pytest summary line
# ("3 passed, 1 skipped in 2.01s"), 0 when WORD is absent.
summary_count() {
    local n
    n="$(echo "$1" | grep -oE "(^|[^a-z])[0-9]+ $2([^a-z]|\$)" | head -n1 \
        | grep -oE '[0-9]+' | head -n1 || true)"
    echo "${n:-0}"
}

# pytest_counts OUT: PYTEST_PASSED, PYTEST_FAILED (failures and errors) and PYTEST_SKIPPED
# of the pytest output in file OUT (its last line is pytest's summary).
pytest_counts() {
    local summary
    summary="$(tail -n1 "$1" 2>/dev/null || true)"
    PYTEST_PASSED="$(summary_count "$summary" passed)"
    PYTEST_FAILED=$(($(summary_count "$summary" failed) + $(summary_count "$summary" errors?)))
    PYTEST_SKIPPED="$(summary_count "$summary" skipped)"
}

# odoo_counts LOG: ODOO_RUN, ODOO_FAILED, ODOO_ERRORS, ODOO_SKIPPED and ODOO_LOG_ERRORS
# (errors logged outside any test) of an odoo-bin --test-enable log.
odoo_counts() {
    local report
    report="$(grep -E "odoo.tests.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" \
        "$1" | tail -n1 || true)"
    ODOO_RUN="$(echo "$report" | sed -nE 's/.* of ([0-9]+) tests.*/\1/p')"
    ODOO_FAILED="$(echo "$report" | sed -nE 's/.*: ([0-9]+) failed.*/\1/p')"
    ODOO_ERRORS="$(echo "$report" | sed -nE 's/.* ([0-9]+) error\(s\).*/\1/p')"
    # one line per skipped test, or per class whose setUpClass skipped (odoo.tests.suite)
    ODOO_SKIPPED="$(grep -cE "odoo\.[A-Za-z0-9_.]+: skipped " "$1" || true)"
    ODOO_LOG_ERRORS="$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$1" || true)"
    ODOO_RUN="${ODOO_RUN:-0}"; ODOO_FAILED="${ODOO_FAILED:-0}"
    ODOO_ERRORS="${ODOO_ERRORS:-0}"; ODOO_SKIPPED="${ODOO_SKIPPED:-0}"
    ODOO_LOG_ERRORS="${ODOO_LOG_ERRORS:-0}"
}

# count_skips LABEL N: N tests of step LABEL were skipped. Each one is a failed test
# (added to $failed), unless skips_allowed: then they are added to $skipped.
count_skips() {
    local label="$1" n="$2"
    [ "$n" -gt 0 ] || return 0
    if skips_allowed; then
        log "$label: $n test(s) skipped (allowed by LOGISTICS_CRM_ALLOW_SKIPS=1)"
        skipped=$((skipped + n))
    else
        log "$label: $n test(s) skipped, each counted as failed: a test that did not run" \
            "proves nothing (UI tours need Chromium and websocket-client;" \
            "LOGISTICS_CRM_ALLOW_SKIPS=1 allows skips outside CI)"
        failed=$((failed + n))
    fi
}

# ------------------------------------------------------------------ read replica
# A hot standby of the harness's cluster, for an Odoo server started with
# --db_replica_host/--db_replica_port (Odoo 18 serves read-only requests there). Its
# data is a throw-away directory named after the run (replica_dir_prefix), which
# stop_replica removes; run_leftovers reports a standby or a directory left behind.
REPLICA_PORT="${REPLICA_PORT:-$((ODOO_VERSION == 19 ? 5434 : 5433))}"
REPLICA_DIR=""
REPLICA_SLOT=""

replica_dir_prefix() { echo "logistics_crm_replica_$1_"; }
# The physical replication slot that keeps the primary's WAL until the standby has it
# (without it a busy primary recycles a segment before the new standby asks for it).
replica_slot() { echo "logistics_crm_replica_$1"; }

primary_sql() {
    psql -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -tAc "$1"
}

# The folders a run's standby may live in: the checkout's .local, or a temporary
# folder when the postgres user cannot enter the checkout.
replica_parent_dirs() {
    echo "$LOCAL_DIR"
    echo "${TMPDIR:-/tmp}"
}

# start_replica RUN_ID: a base backup of the cluster on DB_PORT (pg_basebackup -R, WAL
# streamed) started on REPLICA_PORT with hot_standby=on; returns once it accepts
# connections, is in recovery and has replayed the primary's WAL up to the start.
start_replica() {
    local run_id="$1" parent="$LOCAL_DIR" target _
    require_free_port "$REPLICA_PORT"
    [ -x "$PG_BIN/pg_basebackup" ] || { log "no pg_basebackup in PG_BIN=$PG_BIN"; return 1; }
    mkdir -p "$parent"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$parent"; then
        parent="${TMPDIR:-/tmp}"
    fi
    REPLICA_DIR="$(mktemp -d "$parent/$(replica_dir_prefix "$run_id")XXXXXX")"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$REPLICA_DIR"; fi
    REPLICA_SLOT="$(replica_slot "$run_id")"
    log "read replica: base backup of $DB_HOST:$DB_PORT into $REPLICA_DIR"
    as_pg_owner "$PG_BIN/pg_basebackup" -h "$DB_HOST" -p "$DB_PORT" -U postgres \
        -D "$REPLICA_DIR" -R -X stream -c fast -C -S "$REPLICA_SLOT" || return 1
    if ! as_pg_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/standby.log" \
        -w -t 60 start -o "-h $DB_HOST -p $REPLICA_PORT -k /tmp -c hot_standby=on" \
        >/dev/null; then
        tail -n 20 "$REPLICA_DIR/standby.log" >&2 || true
        return 1
    fi
    target="$(primary_sql "SELECT pg_current_wal_lsn()")"
    for _ in $(seq 1 300); do
        if [ "$(psql -h "$DB_HOST" -p "$REPLICA_PORT" -U postgres -d postgres -tAc \
            "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '$target'" \
            2>/dev/null)" = t ]; then
            log "read replica on port $REPLICA_PORT: hot standby, replayed up to $target"
            return 0
        fi
        sleep 0.2
    done
    log "the read replica on port $REPLICA_PORT did not replay the WAL up to $target"
    return 1
}

# Stops the run's standby (if any), removes its directory and drops its slot.
stop_replica() {
    [ -n "$REPLICA_DIR" ] || return 0
    if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
        as_pg_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w -t 60 stop >/dev/null \
            || as_pg_owner "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m immediate -w stop \
                >/dev/null || true
    fi
    rm -rf "$REPLICA_DIR"
    REPLICA_DIR=""
    if [ -n "$REPLICA_SLOT" ]; then
        primary_sql "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                     WHERE slot_name = '$REPLICA_SLOT'" >/dev/null || true
        REPLICA_SLOT=""
    fi
}

# replica_leftovers RUN_ID: what the run's standby left behind (a postgres serving one
# of its directories, the directories), on one line; empty when nothing.
replica_leftovers() {
    local prefix found="" procs dirs parent
    prefix="$(replica_dir_prefix "$1")"
    procs="$(pgrep -af -- "postgres -D [^ ]*/${prefix}" || true)"
    [ -z "$procs" ] || found+="standby: $procs; "
    dirs=""
    while read -r parent; do
        dirs+="$(find "$parent" -maxdepth 1 -name "${prefix}*" 2>/dev/null | tr '\n' ' ')"
    done < <(replica_parent_dirs)
    [ -z "$dirs" ] || found+="standby data: $dirs; "
    if [ -n "$(primary_sql "SELECT 1 FROM pg_replication_slots
                             WHERE slot_name = '$(replica_slot "$1")'" 2>/dev/null)" ]; then
        found+="replication slot: $(replica_slot "$1"); "
    fi
    echo "$found"
}

# readwrite_retry_lines LOG...: the lines of these Odoo logs telling that a read-only
# request wrote (odoo.http rolled it back and replayed it on the primary) or that a
# server could not reach its replica; nothing when there is none.
readwrite_retry_lines() {
    grep -HE "retrying with a read/write cursor|Failed to open a readonly cursor" "$@" \
        2>/dev/null || true
}
