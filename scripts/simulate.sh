#!/usr/bin/env bash
# make simulate: the simulated year of tests/simulation on its own database, with
# the simulation's flags, e.g.  make simulate SIMULATION_ARGS="--days 800 --seed 7".
# The database (SIMULATION_DB, default logistics_crm_simulation) is created afresh
# and dropped afterwards unless KEEP_DB=1 (to look at what the year left).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PROJECT_DIR"

SIMULATION_DB="${SIMULATION_DB:-logistics_crm_simulation}"
LOG_DIR="$LOCAL_DIR/test-logs"
mkdir -p "$LOG_DIR"

check_odoo
ensure_venv
export PATH="$VENV_DIR/bin:$PATH"
ensure_postgres
trap 'stop_all_processes; [ "${KEEP_DB:-0}" = 1 ] || drop_db "$SIMULATION_DB"; stop_postgres_if_started' EXIT

drop_db "$SIMULATION_DB"
log "installing logistics_crm_lead without demo data on $SIMULATION_DB"
odoo_bin -d "$SIMULATION_DB" -i logistics_crm_lead "${NO_DEMO_ARGS[@]}" --stop-after-init \
    --workers=0 --max-cron-threads=0 --http-port="${TEST_HTTP_PORT:-8169}" \
    --log-level=warn >"$LOG_DIR/odoo-simulation-install.log" 2>&1 \
    || die "install failed: see $LOG_DIR/odoo-simulation-install.log"
rc=0
run_process - env ODOO_PATH="$ODOO_PATH" DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" \
    DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
    python -m tests.simulation.run --db "$SIMULATION_DB" "$@" || rc=$?
exit "$rc"
