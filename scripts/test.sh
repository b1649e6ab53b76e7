#!/usr/bin/env bash
# make test: linters, the Odoo-free pytest suite, then the addon's Odoo test suite on fresh,
# throw-away databases (without and with demo data). The last line is "N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PROJECT_DIR"

TEST_HTTP_PORT="${TEST_HTTP_PORT:-8169}"
TEST_TAGS="${TEST_TAGS:-/logistics_crm}"
# "nodemo demo": the suite runs on both; TEST_DEMO_MODES=nodemo runs one for quick iterations.
TEST_DEMO_MODES="${TEST_DEMO_MODES:-nodemo demo}"
# Odoo's own post-install test classes run again with the addon installed (README).
PEER_TEST_TAGS="${PEER_TEST_TAGS-/base:TestPartnerForm,/account:TestAccountPartner,/account:TestMergePartner,/mail:TestMailActivityIntegrity,/mail:TestMailActivityChatter}"
LOG_DIR="$LOCAL_DIR/test-logs"
mkdir -p "$LOG_DIR"

passed=0
failed=0
skipped=0
test_dbs=()

cleanup() {
    for db in "${test_dbs[@]}"; do drop_db "$db"; done
    stop_postgres_if_started
}
trap cleanup EXIT

check_odoo
ensure_venv
export PATH="$VENV_DIR/bin:$PATH"

log "lint: ruff"
lint_failed=0
ruff check . || lint_failed=1
ruff format --check . || lint_failed=1
log "lint: pylint-odoo mandatory checks"
pylint --rcfile=.pylintrc-mandatory logistics_crm || lint_failed=1
if [ "$lint_failed" = 1 ]; then
    log "lint failed"
    failed=$((failed + 1))
else
    passed=$((passed + 1))
fi

log "Odoo-free pytest suite"
pytest_out="$LOG_DIR/pytest.log"
set +e
python -m pytest -q -p no:cacheprovider tests --ignore=tests/integration 2>&1 \
    | tee "$pytest_out"
set -e
summary="$(tail -n1 "$pytest_out")"
count() { echo "$summary" | grep -oE "[0-9]+ $1" | grep -oE '[0-9]+' || echo 0; }
p="$(count passed)"; f="$(count failed)"; e="$(count 'errors?')"; s="$(count skipped)"
passed=$((passed + p)); failed=$((failed + f + e)); skipped=$((skipped + s))
if [ "$p" = 0 ]; then
    log "the pytest suite ran no test"
    failed=$((failed + 1))
fi

ensure_postgres
ensure_chromium

# Runs odoo-bin with the given arguments, reads its test report, adds to the counts.
run_odoo_tests() {
    local label="$1" db="$2"
    shift 2
    local odoo_log="$LOG_DIR/odoo-$label.log"
    log "Odoo tests ($label) on database $db, log in $odoo_log"
    set +e
    odoo_bin -d "$db" --test-enable --stop-after-init --http-port="$TEST_HTTP_PORT" \
        --log-level=test --workers=0 --max-cron-threads=0 "$@" >"$odoo_log" 2>&1
    local rc=$?
    set -e
    grep -E "( ERROR | CRITICAL |FAIL:|ERROR:| tests when loading database)" "$odoo_log" \
        | cut -c1-400 || true
    local report run f e s log_errors bad
    report="$(grep -E "odoo.tests.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" \
        "$odoo_log" | tail -n1 || true)"
    run="$(echo "$report" | sed -nE 's/.* of ([0-9]+) tests.*/\1/p')"
    f="$(echo "$report" | sed -nE 's/.*: ([0-9]+) failed.*/\1/p')"
    e="$(echo "$report" | sed -nE 's/.* ([0-9]+) error\(s\).*/\1/p')"
    s="$(grep -cE "odoo\.[a-z_.]+: skipped " "$odoo_log" || true)"
    run="${run:-0}"; f="${f:-0}"; e="${e:-0}"; s="${s:-0}"
    # Errors logged outside any test (a failed install, a broken view) fail the run too.
    log_errors="$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$odoo_log" || true)"
    bad=$((f + e))
    if [ "$bad" = 0 ] && [ "${log_errors:-0}" != 0 ]; then bad=1; fi
    if [ "$run" = 0 ]; then
        log "no Odoo test ran ($label, exit code $rc): see $odoo_log"
        bad=$((bad + 1))
    elif [ "$rc" != 0 ] && [ "$bad" = 0 ]; then
        log "odoo-bin exited with $rc: see $odoo_log"
        bad=1
    fi
    passed=$((passed + run - f - e - s))
    failed=$((failed + bad))
    skipped=$((skipped + s))
    log "Odoo tests ($label): $run run, $f failed, $e errors, $s skipped, $log_errors logged errors"
}

# Starts the demo database's server and drives it over JSON-RPC (tests/integration).
run_rpc_client_tests() {
    local db="$1" port="${TEST_RPC_PORT:-8569}" server_log="$LOG_DIR/odoo-rpc-server.log"
    log "real-client tests (odoorpc) against a server on port $port"
    odoo_bin -d "$db" --db-filter="^${db}\$" --http-port="$port" --workers=0 \
        --max-cron-threads=0 --log-level=warn >"$server_log" 2>&1 &
    local server_pid=$!
    local ready=0
    for _ in $(seq 1 60); do
        if curl -sf -o /dev/null "http://127.0.0.1:$port/web/login"; then
            ready=1
            break
        fi
        sleep 1
    done
    local out="$LOG_DIR/pytest-rpc.log"
    if [ "$ready" = 1 ]; then
        set +e
        LOGISTICS_CRM_RPC_URL="http://127.0.0.1:$port" LOGISTICS_CRM_RPC_DB="$db" \
            python -m pytest -q -p no:cacheprovider tests/integration/test_odoorpc_client.py \
            2>&1 | tee "$out"
        set -e
    else
        echo "0 passed, 1 failed (the server did not start: see $server_log)" >"$out"
    fi
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    summary="$(tail -n1 "$out")"
    local p f e
    p="$(count passed)"; f="$(count failed)"; e="$(count 'errors?')"
    passed=$((passed + p)); failed=$((failed + f + e))
    if [ "$p" = 0 ]; then
        log "the real-client tests did not pass: see $out"
        failed=$((failed + 1))
    fi
}

# Upgrades, then uninstalls the addon on the demo database (tests/integration).
run_upgrade_tests() {
    local db="$1" out="$LOG_DIR/pytest-upgrade.log"
    log "upgrade and uninstall tests on $db"
    set +e
    LOGISTICS_CRM_UPGRADE_DB="$db" ODOO_PATH="$ODOO_PATH" DB_HOST="$DB_HOST" \
        DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
        python -m pytest -q -p no:cacheprovider tests/integration/test_upgrade_uninstall.py \
        2>&1 | tee "$out"
    set -e
    summary="$(tail -n1 "$out")"
    local p f e
    p="$(count passed)"; f="$(count failed)"; e="$(count 'errors?')"
    passed=$((passed + p)); failed=$((failed + f + e))
    if [ "$p" = 0 ]; then
        log "the upgrade tests did not pass: see $out"
        failed=$((failed + 1))
    fi
}

for mode in $TEST_DEMO_MODES; do
    db="logistics_crm_test_${mode}_$$"
    test_dbs+=("$db")
    drop_db "$db"
    demo_flag=()
    [ "$mode" = nodemo ] && demo_flag=(--without-demo=all)
    run_odoo_tests "$mode" "$db" -i logistics_crm "${demo_flag[@]}" --test-tags "$TEST_TAGS"
    if [ "$mode" = nodemo ] && [ -n "$PEER_TEST_TAGS" ]; then
        # Odoo's own tests of partners, accounting partners and activities, with the
        # addon installed: its views and overrides must not break them.
        run_odoo_tests peer "$db" --test-tags "$PEER_TEST_TAGS"
    fi
    if [ "$mode" = demo ]; then
        run_rpc_client_tests "$db"
        run_upgrade_tests "$db"
    fi
done

cleanup
trap - EXIT
if [ "$skipped" != 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
