#!/usr/bin/env bash
# make run: a demo database with logistics_crm served on http://localhost:8069 (admin/admin),
# on Odoo 18.0, or 19.0 with ODOO_VERSION=19 (its own database: logistics_crm_demo_19).
# A second run reuses the virtualenv, the PostgreSQL cluster and the database.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PROJECT_DIR"

default_db=logistics_crm_demo
[ "$ODOO_VERSION" = 18 ] || default_db="logistics_crm_demo_$ODOO_VERSION"
RUN_DB="${RUN_DB:-$default_db}"
HTTP_PORT="${HTTP_PORT:-8069}"

check_odoo
ensure_venv
ensure_postgres
require_free_port "$HTTP_PORT"
# Ctrl-C during the install step ends odoo-bin too (it runs in its own process group).
trap stop_all_processes EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if db_exists "$RUN_DB"; then
    log "reusing database $RUN_DB (drop it with: make drop-db)"
    update_args=(-u logistics_crm)
else
    log "creating database $RUN_DB with logistics_crm and its demo data (Odoo $ODOO_SERIES)"
    update_args=(-i logistics_crm "${DEMO_ARGS[@]}")
fi
odoo_bin -d "$RUN_DB" "${update_args[@]}" --stop-after-init --log-level=warn
trap - EXIT INT TERM
require_free_port "$HTTP_PORT"
log "serving Odoo $ODOO_SERIES on http://localhost:$HTTP_PORT (login admin / password admin), Ctrl-C stops"
# exec: the server is this process, so Ctrl-C and kill reach Odoo itself.
odoo_command
exec "${ODOO_CMD[@]}" -d "$RUN_DB" --db-filter="^${RUN_DB}\$" --http-port="$HTTP_PORT"
