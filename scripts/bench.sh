#!/usr/bin/env bash
# make bench: measure the tier recompute against SQL lower bounds on synthetic data.
# Options are passed to scripts/bench.py (e.g. --customers 10000 --invoices 100000).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PROJECT_DIR"

BENCH_DB="${BENCH_DB:-logistics_crm_bench_$$}"
BASELINE_DB="${BENCH_DB}_baseline"
LEAD_DB="${BENCH_DB}_lead"
check_odoo
ensure_venv
ensure_postgres
log "bench on Odoo $ODOO_SERIES ($ODOO_PATH)"
cleanup() {
    stop_all_processes
    # BENCH_KEEP=1 keeps the database for profiling
    if [ "${BENCH_KEEP:-0}" != 1 ]; then
        drop_db "$BENCH_DB" || true
        drop_db "$BASELINE_DB" || true
        drop_db "$LEAD_DB" || true
    fi
    stop_postgres_if_started
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
drop_db "$BENCH_DB"
drop_db "$BASELINE_DB"
drop_db "$LEAD_DB"
log "creating the throw-away database $BENCH_DB"
odoo_bin -d "$BENCH_DB" -i logistics_crm "${NO_DEMO_ARGS[@]}" --stop-after-init \
    --log-level=warn
# the partner list is compared with Odoo without the addon (same dependencies)
DEPENDS=$("$VENV_DIR/bin/python" -c \
    "import ast; print(','.join(ast.literal_eval(open('logistics_crm/__manifest__.py').read())['depends']))")
log "creating the baseline database $BASELINE_DB ($DEPENDS, without the addon)"
odoo_bin -d "$BASELINE_DB" -i "$DEPENDS" "${NO_DEMO_ARGS[@]}" --stop-after-init \
    --log-level=warn
run_process - env PGPASSWORD="$DB_PASSWORD" "$VENV_DIR/bin/python" scripts/bench.py \
    --odoo-path "$ODOO_PATH" --db "$BENCH_DB" --db-host "$DB_HOST" --db-port "$DB_PORT" \
    --db-user "$DB_USER" --db-password "$DB_PASSWORD" --baseline-db "$BASELINE_DB" "$@"
# the bridge addon (with Odoo CRM) on a database of its own
log "creating the database $LEAD_DB (logistics_crm_lead, with crm)"
odoo_bin -d "$LEAD_DB" -i logistics_crm_lead "${NO_DEMO_ARGS[@]}" --stop-after-init \
    --log-level=warn
run_process - env PGPASSWORD="$DB_PASSWORD" "$VENV_DIR/bin/python" scripts/bench_lead.py \
    --odoo-path "$ODOO_PATH" --db "$LEAD_DB" --db-host "$DB_HOST" --db-port "$DB_PORT" \
    --db-user "$DB_USER" --db-password "$DB_PASSWORD" "$@"
