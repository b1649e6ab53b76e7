#!/usr/bin/env bash
# make test: linters, the Odoo-free pytest suite, then the addons' Odoo test suites on fresh,
# throw-away databases (without and with demo data) and the steps that drive real servers,
# on every Odoo version of TEST_ODOO_VERSIONS ("18 19": both, at the same time, each in a
# make test of its own, run_versions). The last line is "N passed, N failed".
# A skipped test counts as failed (LOGISTICS_CRM_ALLOW_SKIPS=1 allows skips outside CI).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PROJECT_DIR"

TEST_ODOO_VERSIONS="${TEST_ODOO_VERSIONS-$SUPPORTED_ODOO_VERSIONS}"
# the ports of one version's run; two versions at once need their own (port_defaults)
port_defaults() {
    local shift=0
    [ "$ODOO_VERSION" = 19 ] && shift=10
    TEST_HTTP_PORT="${TEST_HTTP_PORT:-$((8169 + shift))}"
    TEST_RPC_PORT="${TEST_RPC_PORT:-$((8569 + shift))}"
    TWO_SERVER_PORTS="${TWO_SERVER_PORTS:-$((8231 + shift)) $((8232 + shift))}"
    TWO_SERVER_GEVENT_PORTS="${TWO_SERVER_GEVENT_PORTS:-$((8271 + shift)) $((8272 + shift))}"
}
port_defaults
TEST_TAGS="${TEST_TAGS:-/logistics_crm}"
# "nodemo demo": the suite runs on both; TEST_DEMO_MODES=nodemo runs one for quick iterations,
# TEST_DEMO_MODES= (empty) none (e.g. to run only the two-server test).
TEST_DEMO_MODES="${TEST_DEMO_MODES-nodemo demo}"
# Odoo's own post-install test classes run again with the addon installed (README).
PEER_TEST_TAGS="${PEER_TEST_TAGS-/base:TestPartnerForm,/account:TestAccountPartner,/account:TestMergePartner,/mail:TestMailActivityIntegrity,/mail:TestMailActivityChatter,/account:TestAccountMoveOutRefundOnchanges,/survey:TestSurveyFlow}"
# The bridge addon logistics_crm_lead (with Odoo CRM) and Odoo's own lead tests beside it.
LEAD_TEST_TAGS="${LEAD_TEST_TAGS-/logistics_crm_lead}"
LOG_DIR="$LOCAL_DIR/test-logs/$ODOO_SERIES"
mkdir -p "$LOG_DIR"

passed=0
failed=0
skipped=0
test_dbs=()

# Ends every process this run started and drops its databases.
cleanup_run() {
    stop_all_processes
    stop_replica
    local db
    for db in "${test_dbs[@]}"; do
        drop_db "$db" || failed=$((failed + 1))
    done
    test_dbs=()
}
cleanup() {
    cleanup_run
    rm -f "${RUN_MARKER:-}"
    stop_postgres_if_started
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# Lint and the Odoo-free tests: once per make test, whatever the versions.
run_shared_steps() {
    log "lint: ruff"
    local lint_failed=0
    ruff check . || lint_failed=1
    ruff format --check . || lint_failed=1
    log "lint: pylint-odoo mandatory checks"
    pylint --rcfile=.pylintrc-mandatory logistics_crm logistics_crm_lead || lint_failed=1
    if [ "$lint_failed" = 1 ]; then
        log "lint failed"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi

    if [ "${LOGISTICS_CRM_ALLOW_SKIPS:-0}" = 1 ]; then
        if skips_allowed; then
            log "LOGISTICS_CRM_ALLOW_SKIPS=1: skipped tests are reported, not failed"
        else
            log "LOGISTICS_CRM_ALLOW_SKIPS=1 is ignored in CI: a skipped test fails the run"
        fi
    fi

    log "Odoo-free pytest suite"
    local pytest_out="$LOG_DIR/pytest.log"
    set +e
    python -m pytest -q -rs -p no:cacheprovider tests --ignore=tests/integration 2>&1 \
        | tee "$pytest_out"
    set -e
    pytest_counts "$pytest_out"
    passed=$((passed + PYTEST_PASSED)); failed=$((failed + PYTEST_FAILED))
    count_skips "Odoo-free pytest suite" "$PYTEST_SKIPPED"
    if [ "$PYTEST_PASSED" = 0 ]; then
        log "the pytest suite ran no test"
        failed=$((failed + 1))
    fi

    log "harness: dropping databases still in use, reporting failed drops"
    run_pytest_step harness "$LOG_DIR/pytest-harness-db.log" \
        tests/integration/test_harness_db.py \
        LOGISTICS_CRM_HARNESS_PG=1 DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_USER="$DB_USER" \
        DB_PASSWORD="$DB_PASSWORD"
}

# Runs odoo-bin with the given arguments, reads its test report, adds to the counts.
run_odoo_tests() {
    local label="$1" db="$2"
    shift 2
    local odoo_log="$LOG_DIR/odoo-$label.log"
    log "Odoo tests ($label) on database $db, log in $odoo_log"
    # the tours' server binds this port: a server left behind would answer in its place
    require_free_port "$TEST_HTTP_PORT"
    local rc=0
    odoo_bin -d "$db" --test-enable --stop-after-init --http-port="$TEST_HTTP_PORT" \
        --log-level=test --workers=0 --max-cron-threads=0 "$@" >"$odoo_log" 2>&1 || rc=$?
    grep -E "( ERROR | CRITICAL |FAIL:|ERROR:| tests when loading database|: skipped )" \
        "$odoo_log" | cut -c1-400 || true
    local run f e s log_errors bad
    odoo_counts "$odoo_log"
    run="$ODOO_RUN"; f="$ODOO_FAILED"; e="$ODOO_ERRORS"; s="$ODOO_SKIPPED"
    log_errors="$ODOO_LOG_ERRORS"
    # Errors logged outside any test (a failed install, a broken view) fail the run too.
    bad=$((f + e))
    if [ "$bad" = 0 ] && [ "$log_errors" != 0 ]; then bad=1; fi
    if [ "$run" = 0 ]; then
        log "no Odoo test ran ($label, exit code $rc): see $odoo_log"
        bad=$((bad + 1))
    elif [ "$rc" != 0 ] && [ "$bad" = 0 ]; then
        log "odoo-bin exited with $rc: see $odoo_log"
        bad=1
    fi
    # a class skipped in setUpClass logs one skip for tests it never counted as run
    local ok=$((run - f - e - s))
    passed=$((passed + (ok > 0 ? ok : 0)))
    failed=$((failed + bad))
    count_skips "Odoo tests ($label)" "$s"
    log "Odoo tests ($label): $run run, $f failed, $e errors, $s skipped, $log_errors logged errors"
}

# run_pytest_step LABEL OUT TEST_FILE [VAR=VALUE...]: runs one file of tests/integration in its
# own process group (a trap ends it with whatever it started) and adds its counts.
run_pytest_step() {
    local label="$1" out="$2" file="$3"
    shift 3
    run_process "$out" env "$@" python -m pytest -q -rs -p no:cacheprovider "$file" || true
    cat "$out"
    pytest_counts "$out"
    passed=$((passed + PYTEST_PASSED)); failed=$((failed + PYTEST_FAILED))
    count_skips "$label tests" "$PYTEST_SKIPPED"
    if [ "$PYTEST_PASSED" = 0 ]; then
        log "the $label tests did not pass: see $out"
        failed=$((failed + 1))
    fi
}

# Starts the demo database's server and drives it over JSON-RPC. make test runs it twice: the
# second round starts only when the first server really stopped and freed its port, and
# runs Odoo multi-process (--workers=2), as production servers do: concurrent requests
# then really run at once.
run_rpc_client_tests() {
    local db="$1" round="$2" workers="${3:-0}" port="${TEST_RPC_PORT:-8569}"
    local server_log="$LOG_DIR/odoo-rpc-server-$round.log"
    log "real-client tests (odoorpc, round $round, $workers workers) on port $port"
    start_odoo_server "$server_log" "$port" "$db" --workers="$workers" \
        --max-cron-threads=0 --log-level=warn
    run_pytest_step real-client "$LOG_DIR/pytest-rpc-$round.log" \
        tests/integration/test_odoorpc_client.py \
        LOGISTICS_CRM_RPC_URL="http://127.0.0.1:$port" LOGISTICS_CRM_RPC_DB="$db" \
        LOGISTICS_CRM_RPC_WORKERS="$workers"
    if [ "$round" = 1 ] && [ "$ODOO_VERSION" != 18 ]; then
        # the external API that outlives /jsonrpc (Odoo 20.0 removes it); 18.0 has none
        log "real-client tests over JSON-2 (API keys) on port $port"
        run_pytest_step json-2 "$LOG_DIR/pytest-json2.log" tests/integration/test_json2_client.py \
            LOGISTICS_CRM_RPC_URL="http://127.0.0.1:$port" LOGISTICS_CRM_RPC_DB="$db"
    fi
    if ! stop_process "$SERVER_PID" 30; then
        log "the real-client server ignored TERM and was killed: see $server_log"
        failed=$((failed + 1))
    fi
    if port_in_use "$port"; then
        log "port $port still answers after the real-client server stopped"
        failed=$((failed + 1))
    fi
}

# Attacks the demo database's server from outside (portal user, tokens, stored script,
# malformed email); prints how many attacks were tried and refused.
run_security_tests() {
    local db="$1" port="${TEST_RPC_PORT:-8569}"
    local server_log="$LOG_DIR/odoo-security-server.log"
    log "security suite against a server on port $port"
    start_odoo_server "$server_log" "$port" "$db" --workers=0 --max-cron-threads=0 \
        --log-level=warn
    run_pytest_step security "$LOG_DIR/pytest-security.log" \
        tests/integration/test_security_attacks.py \
        LOGISTICS_CRM_RPC_URL="http://127.0.0.1:$port" LOGISTICS_CRM_RPC_DB="$db"
    if ! stop_process "$SERVER_PID" 30; then
        log "the security suite's server ignored TERM and was killed: see $server_log"
        failed=$((failed + 1))
    fi
}

# Upgrades, then uninstalls the addon on the demo database.
run_upgrade_tests() {
    log "upgrade and uninstall tests on $1"
    run_pytest_step upgrade "$LOG_DIR/pytest-upgrade.log" \
        tests/integration/test_upgrade_uninstall.py \
        LOGISTICS_CRM_UPGRADE_DB="$1" ODOO_PATH="$ODOO_PATH" DB_HOST="$DB_HOST" \
        DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD"
}

# Builds a database with the previous release of the addon (from git), then updates it.
run_migration_tests() {
    local db
    db="$(test_db_name migration "$$")"
    test_dbs+=("$db")
    drop_db "$db"
    log "migration from the previous release on $db"
    run_pytest_step migration "$LOG_DIR/pytest-migration.log" \
        tests/integration/test_migration.py \
        LOGISTICS_CRM_MIGRATION_DB="$db" ODOO_PATH="$ODOO_PATH" DB_HOST="$DB_HOST" \
        DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD"
}

# The simulated year (tests/simulation, README): its own database with both addons
# installed without demo data, every scheduled action run each simulated night
# through Odoo's cron runner, invariants checked each day. SIMULATION_ARGS gives
# the simulation's flags (e.g. "--days 800 --customers 600 --seed 7").
run_simulation() {
    local db rc=0
    db="$(test_db_name simulation "$$")"
    test_dbs+=("$db")
    drop_db "$db"
    local install_log="$LOG_DIR/odoo-simulation-install.log"
    local out="$LOG_DIR/simulation.log"
    log "simulated year on $db (install log $install_log, run log $out)"
    if ! odoo_bin -d "$db" -i logistics_crm_lead "${NO_DEMO_ARGS[@]}" --stop-after-init \
        --workers=0 --max-cron-threads=0 --http-port="$TEST_HTTP_PORT" --log-level=warn \
        >"$install_log" 2>&1; then
        log "the simulation's database could not be installed: see $install_log"
        failed=$((failed + 1))
        return
    fi
    # shellcheck disable=SC2086  # SIMULATION_ARGS holds several flags
    run_process "$out" env ODOO_PATH="$ODOO_PATH" DB_HOST="$DB_HOST" \
        DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
        python -m tests.simulation.run --db "$db" ${SIMULATION_ARGS:-} || rc=$?
    grep -vE "^  day [0-9]+:" "$out" | tail -n 40 || true
    if [ "$rc" = 0 ]; then
        passed=$((passed + 1))
    else
        log "the simulated year failed (exit code $rc): see $out"
        failed=$((failed + 1))
    fi
}

# The real-client round 2 (--workers=2) against a server that reads from a real streaming
# replica of this run's cluster (--db_replica_host/--db_replica_port: Odoo 18 serves
# readonly routes and @api.readonly methods there). test_replica_reads.py reads the
# portal, the overview and an export and shows from the standby's statistics that they
# were served there; a read/write retry or a fallback to the primary fails the round.
run_replica_round() {
    local db="$1" port="${TEST_RPC_PORT:-8569}" started
    local server_log="$LOG_DIR/odoo-replica-server.log"
    local stats="$LOG_DIR/replica-stats.json"
    started="$(date +%s)"
    rm -f "$stats"
    if ! start_replica "$$"; then
        log "the read replica could not be started"
        failed=$((failed + 1))
        stop_replica
        return
    fi
    log "real-client tests (odoorpc, round 2, 2 workers) and replica reads on port $port"
    start_odoo_server "$server_log" "$port" "$db" --workers=2 --max-cron-threads=0 \
        --log-level=warn --db_replica_host="$DB_HOST" --db_replica_port="$REPLICA_PORT"
    run_pytest_step real-client "$LOG_DIR/pytest-rpc-2.log" \
        tests/integration/test_odoorpc_client.py \
        LOGISTICS_CRM_RPC_URL="http://127.0.0.1:$port" LOGISTICS_CRM_RPC_DB="$db" \
        LOGISTICS_CRM_RPC_WORKERS=2
    run_pytest_step replica "$LOG_DIR/pytest-replica.log" \
        tests/integration/test_replica_reads.py \
        LOGISTICS_CRM_RPC_URL="http://127.0.0.1:$port" LOGISTICS_CRM_RPC_DB="$db" \
        LOGISTICS_CRM_REPLICA_PORT="$REPLICA_PORT" LOGISTICS_CRM_REPLICA_STATS="$stats" \
        LOGISTICS_CRM_REPLICA_SERVER_LOG="$server_log" DB_HOST="$DB_HOST" \
        DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD"
    if ! stop_process "$SERVER_PID" 30; then
        log "the replica round's server ignored TERM and was killed: see $server_log"
        failed=$((failed + 1))
    fi
    stop_replica
    [ -f "$stats" ] && log "read replica statistics: $(tr -d '\n' <"$stats")"
    log "replica round: $(($(date +%s) - started)) s"
}

# A read-only request that writes is rolled back and replayed on a read/write cursor
# (odoo.http: "..., retrying with a read/write cursor"): it still succeeds, so every
# Odoo log of this run (tests and servers) is searched for it; each one fails the run.
RUN_MARKER="$LOG_DIR/.run-$$"
touch "$RUN_MARKER"
check_readwrite_retries() {
    local logs lines count
    mapfile -t logs < <(find "$LOG_DIR" -maxdepth 1 -name 'odoo-*.log' -newer "$RUN_MARKER")
    rm -f "$RUN_MARKER"
    [ "${#logs[@]}" -gt 0 ] || return 0
    lines="$(readwrite_retry_lines "${logs[@]}")"
    if [ -n "$lines" ]; then
        echo "$lines" | cut -c1-400 | head -n 20 >&2
        count="$(echo "$lines" | wc -l)"
        log "read-only requests that wrote (read/write retries): $count"
        failed=$((failed + count))
    else
        log "no read/write retry in ${#logs[@]} Odoo log(s) of this run"
        passed=$((passed + 1))
    fi
}

# Two Odoo servers as production runs them (each --workers=2 --max-cron-threads=1, its
# own HTTP and gevent port) on one database of three companies
# (tests/integration/test_two_servers.py): the nightly jobs fall due on both at once
# while reps work on both. TWO_SERVER_PORTS and TWO_SERVER_GEVENT_PORTS choose the ports.
# docs/deploy.md's per-worker limits and connection pool, as its odoo.conf sets them
DEPLOY_LIMITS=(--limit-memory-soft=1073741824 --limit-memory-hard=1610612736
    --limit-time-cpu=600 --limit-time-real=1200 --limit-time-real-cron=1800
    --limit-request=65536 --db_maxconn=32)
run_two_server_tests() {
    local db
    db="$(test_db_name twoservers "$$")"
    test_dbs+=("$db")
    drop_db "$db"
    local install_log="$LOG_DIR/odoo-two-servers-install.log"
    local seed_log="$LOG_DIR/two-servers-seed.log" seed_json="$LOG_DIR/two-servers-seed.json"
    local ports gevent_ports
    read -r -a ports <<<"${TWO_SERVER_PORTS:-8231 8232}"
    read -r -a gevent_ports <<<"${TWO_SERVER_GEVENT_PORTS:-8271 8272}"
    log "two servers on ports ${ports[*]} (gevent ${gevent_ports[*]}), database $db"
    if ! odoo_bin -d "$db" -i logistics_crm_lead "${NO_DEMO_ARGS[@]}" --stop-after-init \
        --workers=0 --max-cron-threads=0 --http-port="${ports[0]}" --log-level=warn \
        >"$install_log" 2>&1; then
        log "the two-server database could not be installed: see $install_log"
        failed=$((failed + 1))
        return
    fi
    if ! run_process "$seed_log" env ODOO_PATH="$ODOO_PATH" DB_HOST="$DB_HOST" \
        DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
        python tests/integration/two_servers_seed.py --db "$db" --out "$seed_json"; then
        tail -n 20 "$seed_log" >&2 || true
        log "the two-server database could not be seeded: see $seed_log"
        failed=$((failed + 1))
        return
    fi
    local pids=() urls=() gevent_urls=() logs=() i
    for i in 0 1; do
        logs+=("$LOG_DIR/odoo-two-servers-$((i + 1)).log")
        urls+=("http://127.0.0.1:${ports[$i]}")
        gevent_urls+=("http://127.0.0.1:${gevent_ports[$i]}")
        require_free_port "${gevent_ports[$i]}"
        # the options docs/deploy.md recommends, at this test's size
        # (19.0 logs each call of a job at DEBUG only: the test counts the calls)
        start_odoo_server "${logs[$i]}" "${ports[$i]}" "$db" --workers=2 \
            --max-cron-threads=1 --gevent-port="${gevent_ports[$i]}" --log-level=info \
            --log-handler=odoo.addons.base.models.ir_cron:DEBUG "${DEPLOY_LIMITS[@]}"
        pids+=("$SERVER_PID")
    done
    run_pytest_step two-servers "$LOG_DIR/pytest-two-servers.log" \
        tests/integration/test_two_servers.py \
        LOGISTICS_CRM_TWO_SERVERS_URLS="$(IFS=,; echo "${urls[*]}")" \
        LOGISTICS_CRM_TWO_SERVERS_LOGS="$(IFS=,; echo "${logs[*]}")" \
        LOGISTICS_CRM_TWO_SERVERS_GEVENT_URLS="$(IFS=,; echo "${gevent_urls[*]}")" \
        LOGISTICS_CRM_TWO_SERVERS_DB="$db" LOGISTICS_CRM_TWO_SERVERS_SEED="$seed_json" \
        DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD"
    for i in 0 1; do
        if ! stop_process "${pids[$i]}" 30; then
            log "two-server test: server $((i + 1)) ignored TERM and was killed: see ${logs[$i]}"
            failed=$((failed + 1))
        fi
    done
    for i in 0 1; do
        if port_in_use "${ports[$i]}" || port_in_use "${gevent_ports[$i]}"; then
            log "port ${ports[$i]} or ${gevent_ports[$i]} still answers after the servers stopped"
            failed=$((failed + 1))
        fi
    done
}

# Everything that runs on one Odoo version (ODOO_VERSION): the Odoo suites of both addons,
# Odoo's peer tests, the real servers, the simulated year, the migration.
run_version_steps() {
    log "Odoo $ODOO_SERIES at $ODOO_PATH, virtualenv $VENV_DIR, logs in $LOG_DIR"
    for mode in $TEST_DEMO_MODES; do
        db="$(test_db_name "$mode" "$$")"
        test_dbs+=("$db")
        drop_db "$db"
        demo_flag=("${DEMO_ARGS[@]}")
        [ "$mode" = nodemo ] && demo_flag=("${NO_DEMO_ARGS[@]}")
        run_odoo_tests "$mode" "$db" -i logistics_crm "${demo_flag[@]}" --test-tags "$TEST_TAGS"
        if [ "$mode" = nodemo ] && [ -n "$PEER_TEST_TAGS" ]; then
            # Odoo's own tests of partners, accounting partners and activities, with the
            # addon installed: its views and overrides must not break them.
            run_odoo_tests peer "$db" --test-tags "$PEER_TEST_TAGS"
        fi
        if [ "$mode" = demo ]; then
            run_rpc_client_tests "$db" 1
            run_replica_round "$db"
            run_security_tests "$db"
            run_upgrade_tests "$db"
        fi
    done
    if [ -n "$LEAD_TEST_TAGS" ]; then
        # its own databases: installing crm changes nothing for the databases above; with demo,
        # its demo pipeline loads over crm's and its tests of that pipeline run too
        for mode in $TEST_DEMO_MODES; do
            label=lead
            demo_flag=("${NO_DEMO_ARGS[@]}")
            # the demo pipeline's tests need its demo data
            tags="$LEAD_TEST_TAGS,-/logistics_crm_lead:TestLeadDemo"
            if [ "$mode" = demo ]; then
                label=lead-demo
                demo_flag=("${DEMO_ARGS[@]}")
                tags="$LEAD_TEST_TAGS"
            fi
            # run_leftovers finds the run's databases by a letters-only name part
            db="$(test_db_name "${label//-/}" "$$")"
            test_dbs+=("$db")
            drop_db "$db"
            run_odoo_tests "$label" "$db" -i logistics_crm_lead "${demo_flag[@]}" \
                --test-tags "$tags"
        done
    fi
    [ "${TEST_TWO_SERVERS:-1}" = 1 ] && run_two_server_tests
    [ "${TEST_SIMULATION:-1}" = 1 ] && run_simulation
    if [ "${TEST_MIGRATION:-1}" = 1 ]; then
        if [ "$ODOO_VERSION" = 18 ]; then
            run_migration_tests
        else
            # the previous release installs on 18.0 only: a database reaches 19.0 through
            # Odoo's upgrade of the core, then updates the addon (README, "Odoo versions")
            log "migration from the previous release: on 18.0 only"
        fi
    fi

    check_readwrite_retries
    cleanup_run
    # The harness itself: nothing of this run may outlive it (no process, no database).
    if leftovers="$(run_leftovers "$$")"; then
        log "harness: no process and no database of this run left"
        passed=$((passed + 1))
    else
        log "harness: left behind by this run: $leftovers"
        failed=$((failed + 1))
    fi
}

# run_versions VERSION...: one make test of its own per version (TEST_VERSION_RUN=1), all
# at once unless TEST_VERSIONS_AT_ONCE=0, each logging to LOG_DIR/<series>/make-test.log
# (printed when it ends); their counts are added to this run's.
run_versions() {
    local version pids=() outs=() series out
    export ODOO18_PATH ODOO19_PATH VENV18_DIR VENV19_DIR
    for version in "$@"; do
        use_odoo "$version"
        out="$LOCAL_DIR/test-logs/$ODOO_SERIES/make-test.log"
        mkdir -p "$(dirname "$out")"
        outs+=("$out")
        log "Odoo $ODOO_SERIES: make test of its own, log in $out"
        # each version on its own ports (port_defaults)
        start_process "$out" env -u ODOO_PATH -u TEST_HTTP_PORT -u TEST_RPC_PORT \
            -u REPLICA_PORT -u TWO_SERVER_PORTS -u TWO_SERVER_GEVENT_PORTS \
            ODOO_VERSION="$version" TEST_VERSION_RUN=1 bash scripts/test.sh
        pids+=("$STARTED_PID")
        if [ "${TEST_VERSIONS_AT_ONCE:-1}" != 1 ]; then
            wait "${pids[-1]}" || true
        fi
    done
    local i summary
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || true
        stop_process "${pids[$i]}" 10 || true
        series="$(basename "$(dirname "${outs[$i]}")")"
        log "----- Odoo $series: its make test -----"
        cat "${outs[$i]}"
        summary="$(tail -n1 "${outs[$i]}")"
        if ! echo "$summary" | grep -qE "^[0-9]+ passed, [0-9]+ failed"; then
            log "Odoo $series: its make test ended without its counts"
            failed=$((failed + 1))
            VERSION_SUMMARIES+=("Odoo $series: no counts")
            continue
        fi
        passed=$((passed + $(summary_count "$summary" passed)))
        failed=$((failed + $(summary_count "$summary" failed)))
        skipped=$((skipped + $(summary_count "$summary" skipped)))
        VERSION_SUMMARIES+=("Odoo $series: $summary")
    done
}

VERSION_SUMMARIES=()
if [ "${TEST_VERSION_RUN:-0}" = 1 ]; then
    # one version's part of a make test (run_versions)
    check_odoo
    ensure_venv
    export PATH="$VENV_DIR/bin:$PATH"
    ensure_postgres
    ensure_chromium
    run_version_steps
else
    read -r -a versions <<<"$TEST_ODOO_VERSIONS"
    [ "${#versions[@]}" -gt 0 ] || die "TEST_ODOO_VERSIONS is empty"
    # every version's Odoo and virtualenv first: a missing Odoo fails here, before any test
    for version in "${versions[@]}"; do
        use_odoo "$version"
        check_odoo
        ensure_venv
    done
    use_odoo "${versions[0]}"
    export PATH="$VENV_DIR/bin:$PATH"
    LOG_DIR="$LOCAL_DIR/test-logs"
    # the harness step of the shared ones needs the server (CI starts with none running)
    ensure_postgres
    run_shared_steps
    ensure_chromium
    if [ "${#versions[@]}" = 1 ]; then
        port_defaults
        LOG_DIR="$LOCAL_DIR/test-logs/$ODOO_SERIES"
        mkdir -p "$LOG_DIR"
        run_version_steps
    else
        run_versions "${versions[@]}"
    fi
fi
cleanup
trap - EXIT INT TERM
counts="$passed passed, $failed failed"
# only with LOGISTICS_CRM_ALLOW_SKIPS=1: otherwise each skip is a failure
[ "$skipped" = 0 ] || counts+=", $skipped skipped"
if [ "${#VERSION_SUMMARIES[@]}" -gt 0 ]; then
    counts+=" ($(IFS=';'; echo "${VERSION_SUMMARIES[*]}" | sed 's/;/; /g'))"
fi
echo "$counts"
[ "$failed" = 0 ]
