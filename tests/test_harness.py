"""The test harness itself (scripts/common.sh): processes it starts end with all they
started, a busy port is refused, a server is checked to be the one just started, and a
signal to a script leaves nothing behind. Odoo-free: the servers here are stand-ins."""

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
COMMON = PROJECT_DIR / "scripts" / "common.sh"

# A stand-in for odoo-bin: serves /web/database/list on --http-port, answering the
# database it was given with -d, or FAKE_SERVED_DB when set (a server of another run).
FAKE_SERVER = textwrap.dedent(
    """
    import json, os, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    args = sys.argv[1:]
    db = args[args.index("-d") + 1]
    port = int(next(a for a in args if a.startswith("--http-port=")).split("=")[1])
    if os.environ.get("FAKE_EXIT_AT_START"):
        sys.exit("cannot start")
    served = os.environ.get("FAKE_SERVED_DB", db)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"jsonrpc": "2.0", "result": [served]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    HTTPServer(("127.0.0.1", port), Handler).serve_forever()
    """
)


def bash(script, env=None, timeout=60):
    """Runs a bash script that has sourced common.sh; returns the finished process."""
    full = f'source "{COMMON}"\n{textwrap.dedent(script)}'
    return subprocess.run(  # noqa: S603 - our own script
        ["bash", "-c", full],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def values(output):
    return dict(re.findall(r"^(\w+)=(.*)$", output, re.MULTILINE))


@pytest.fixture
def fake_odoo(tmp_path):
    server = tmp_path / "fake_odoo.py"
    server.write_text(FAKE_SERVER)
    # start_odoo_server builds its command with odoo_command: point it at the stand-in
    return f'odoo_command() {{ ODOO_CMD=("{sys.executable}" "{server}"); }}\n'


def test_stop_process_ends_the_whole_group():
    result = bash(
        """
        start_process - bash -c 'sleep 300 & echo "child=$!"; exec sleep 301'
        pid=$STARTED_PID
        sleep 0.5
        echo "leader=$pid"
        echo "group=$(ps -o pgid= -p "$pid" | tr -d ' ')"
        echo "command=$(tr '\\0' ' ' < /proc/$pid/cmdline)"
        stop_process "$pid" 5
        echo "rc=$?"
        echo "left=${#STARTED_PIDS[@]}"
        """
    )
    out = values(result.stdout)
    leader, child = int(out["leader"]), int(out["child"])
    # the PID held is the command itself and leads its own group
    assert out["group"] == out["leader"]
    assert out["command"].startswith("sleep 301")
    assert out["rc"] == "0"
    assert out["left"] == "0"
    assert not alive(leader)
    assert not alive(child), "a process started by the server outlived it"


def test_stop_process_kills_what_ignores_term():
    result = bash(
        """
        start_process - bash -c 'trap "" TERM; echo "pid=$$"; while :; do sleep 1; done'
        sleep 0.5
        rc=0
        stop_process "$STARTED_PID" 1 || rc=$?
        echo "rc=$rc"
        """
    )
    out = values(result.stdout)
    assert out["rc"] == "1"
    assert "ignored TERM" in result.stderr
    assert not alive(int(out["pid"]))


def test_busy_port_is_refused_loudly():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = bash(f"require_free_port {port}\necho reached")
    assert result.returncode != 0
    assert "reached" not in result.stdout
    assert f"port {port} is already in use" in result.stderr
    assert bash(f"require_free_port {free_port()}").returncode == 0


def test_server_start_checks_it_serves_this_run(fake_odoo, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    result = bash(
        fake_odoo
        + f"""
        start_odoo_server "{log}" {port} run_db
        echo "server=$SERVER_PID"
        echo "served=$(served_databases {port})"
        stop_process "$SERVER_PID" 5
        echo "rc=$?"
        port_in_use {port} && echo "port=busy" || echo "port=free"
        """
    )
    out = values(result.stdout)
    assert result.returncode == 0, result.stderr
    assert out["served"] == "run_db"
    assert out["rc"] == "0"
    assert out["port"] == "free"
    assert not alive(int(out["server"]))


def test_server_of_another_database_is_refused(fake_odoo, tmp_path):
    port = free_port()
    script = (
        fake_odoo
        + f"""
        trap stop_all_processes EXIT
        SERVER_START_TIMEOUT=3 start_odoo_server "{tmp_path}/s.log" {port} run_db
        echo reached
        """
    )
    result = bash(script, env={"FAKE_SERVED_DB": "old_run_db"})
    assert result.returncode != 0
    assert "reached" not in result.stdout
    assert f"no Odoo server serving run_db answered on port {port}" in result.stderr
    # and the server it started is gone again
    assert bash(f"port_in_use {port}").returncode != 0


def test_server_dying_at_start_is_reported(fake_odoo, tmp_path):
    port = free_port()
    result = bash(
        fake_odoo + f'start_odoo_server "{tmp_path}/s.log" {port} run_db\necho reached',
        env={"FAKE_EXIT_AT_START": "1"},
    )
    assert result.returncode != 0
    assert "reached" not in result.stdout
    assert "exited during start-up" in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_script_ends_what_it_started(tmp_path, sig):
    pid_file = tmp_path / "child.pid"
    script = tmp_path / "script.sh"
    # the traps of scripts/test.sh, and a long step waiting in run_process
    script.write_text(
        f"""source "{COMMON}"
trap stop_all_processes EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
run_process - bash -c 'sleep 300 & echo $! > "{pid_file}"; wait'
"""
    )
    # as from a terminal: a shell started with SIGINT ignored (a background job of
    # make test's own run_process) cannot trap it, so the test restores the default
    process = subprocess.Popen(  # noqa: S603
        ["bash", str(script)],  # noqa: S607
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    deadline = time.monotonic() + 10
    while not (pid_file.exists() and pid_file.read_text().strip()):
        assert time.monotonic() < deadline, "the step did not start"
        time.sleep(0.1)
    child = int(pid_file.read_text())
    assert alive(child)
    process.send_signal(sig)
    assert process.wait(timeout=30) in (130, 143)
    time.sleep(0.2)
    assert not alive(child)


def test_scripts_start_processes_only_through_the_harness():
    # a bare "cmd &" in a script is how the orphaned server came about
    for script in (PROJECT_DIR / "scripts").glob("*.sh"):
        for number, line in enumerate(script.read_text().splitlines(), 1):
            code = line.split("#")[0].rstrip()
            if re.search(r"(^|[^&])&$", code) and "setsid" not in code:
                pytest.fail(f"{script.name}:{number} backgrounds a process: {line}")


# ------------------------------------------------------------- make test's counts
ODOO_LOG = """\
2026-01-05 02:00:01,001 77 INFO run_db odoo.modules.loading: 80 modules loaded
2026-01-05 02:00:02,002 77 INFO db odoo.addons.logistics_crm.tests.test_visit_tour: \
skipped TestVisitTour.test_visit_tour : websocket-client module is not installed
2026-01-05 02:00:03,003 77 INFO run_db odoo.addons.l10n_x2.tests.test_2: skipped \
TestTwo.test_one : Failed to detect chrome devtools port after 10.0s.
2026-01-05 02:00:04,004 77 INFO run_db odoo.tests.suite: skipped setUpClass \
(odoo.addons.logistics_crm.tests.test_x.TestX) : database without the demo data
2026-01-05 02:00:05,005 77 ERROR run_db odoo.addons.logistics_crm.tests.test_y: FAIL: \
TestY.test_z
2026-01-05 02:00:06,006 77 INFO run_db odoo.tests.result: 1 failed, 2 error(s) of 40 \
tests when loading database 'run_db'
"""


def counts(script, env=None):
    """Runs `script` after common.sh with a clean opt-out environment."""
    base = {"LOGISTICS_CRM_ALLOW_SKIPS": "", "CI": ""}
    result = bash(script, env={**base, **(env or {})})
    assert result.returncode == 0, result.stderr
    return values(result.stdout), result.stderr


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("490 passed in 10.08s", ("490", "0", "0")),
        ("3 passed, 2 skipped, 1 error in 1.00s", ("3", "1", "2")),
        ("1 failed, 4 passed, 1 xpassed, 3 errors in 2s", ("4", "4", "0")),
        ("===== 7 skipped in 0.01s =====", ("0", "0", "7")),
        ("Traceback (most recent call last):", ("0", "0", "0")),
    ],
)
def test_pytest_summary_counts(tmp_path, summary, expected):
    out = tmp_path / "pytest.log"
    out.write_text(f"....s\nsome output\n{summary}\n")
    got, _err = counts(
        f'pytest_counts "{out}"\n'
        'echo "p=$PYTEST_PASSED"; echo "f=$PYTEST_FAILED"; echo "s=$PYTEST_SKIPPED"'
    )
    assert (got["p"], got["f"], got["s"]) == expected


def test_odoo_log_counts_every_skip(tmp_path):
    log = tmp_path / "odoo.log"
    log.write_text(ODOO_LOG)
    got, _err = counts(
        f'odoo_counts "{log}"\n'
        'echo "run=$ODOO_RUN"; echo "f=$ODOO_FAILED"; echo "e=$ODOO_ERRORS"\n'
        'echo "s=$ODOO_SKIPPED"; echo "logged=$ODOO_LOG_ERRORS"'
    )
    # a module name with digits and a class skipped in setUpClass count too
    assert got == {"run": "40", "f": "1", "e": "2", "s": "3", "logged": "1"}


@pytest.mark.parametrize(
    ("env", "failed", "skipped"),
    [
        ({}, "5", "0"),
        ({"LOGISTICS_CRM_ALLOW_SKIPS": "1"}, "2", "3"),
        # CI never lets a skip through
        ({"LOGISTICS_CRM_ALLOW_SKIPS": "1", "CI": "true"}, "5", "0"),
        ({"LOGISTICS_CRM_ALLOW_SKIPS": "0"}, "5", "0"),
    ],
)
def test_a_skipped_test_fails_the_run_unless_allowed(env, failed, skipped):
    got, err = counts(
        """
        failed=2; skipped=0
        count_skips "UI tours" 3
        count_skips "nothing" 0
        echo "failed=$failed"; echo "skipped=$skipped"
        """,
        env,
    )
    assert (got["failed"], got["skipped"]) == (failed, skipped)
    assert "UI tours: 3 test(s) skipped" in err


def test_a_skipped_pytest_step_fails(tmp_path):
    """A real pytest run with a skip, read and counted the way make test does."""
    (tmp_path / "test_step.py").write_text(
        "import pytest\n\n"
        "def test_runs():\n    pass\n\n"
        "@pytest.mark.skip(reason='no browser')\n"
        "def test_tour():\n    pass\n"
    )
    out = tmp_path / "step.log"
    got, err = counts(
        f"""
        failed=0; skipped=0; passed=0
        "{sys.executable}" -m pytest -q -rs -p no:cacheprovider \\
            "{tmp_path}/test_step.py" > "{out}" 2>&1 || true
        pytest_counts "{out}"
        passed=$((passed + PYTEST_PASSED)); failed=$((failed + PYTEST_FAILED))
        count_skips step "$PYTEST_SKIPPED"
        echo "passed=$passed"; echo "failed=$failed"; echo "skipped=$skipped"
        """
    )
    assert got == {"passed": "1", "failed": "1", "skipped": "0"}
    assert "step: 1 test(s) skipped" in err


def test_every_step_of_make_test_counts_its_skips():
    """Each place scripts/test.sh reads test counts hands its skips to count_skips
    (the integration steps once counted none)."""
    script = (PROJECT_DIR / "scripts" / "test.sh").read_text()
    readers = script.count("pytest_counts ") + script.count("odoo_counts ")
    assert readers == 3
    assert script.count("count_skips ") == readers
    # skips go through count_skips only; run_versions adds up the counts of each
    # version's own make test, which counted its skips so
    assert script.count("skipped=$((skipped") == 1
    versions = script[script.index("run_versions() {") :]
    assert "skipped=$((skipped" in versions[: versions.index("\n}\n")]


def test_the_server_is_up_before_the_shared_steps():
    """The shared steps end with the harness's own database tests: CI starts with no
    PostgreSQL running, so make test starts it before them."""
    script = (PROJECT_DIR / "scripts" / "test.sh").read_text()
    shared = script[script.index("run_shared_steps() {") :]
    assert "test_harness_db.py" in shared[: shared.index("\n}\n")]
    main = script[script.rindex('read -r -a versions <<<"$TEST_ODOO_VERSIONS"') :]
    assert main.index("ensure_postgres") < main.index("run_shared_steps")


# ------------------------------------------------------------- read replica
def test_readwrite_retries_are_found_in_the_logs(tmp_path):
    clean = tmp_path / "odoo-clean.log"
    clean.write_text(
        "2026-01-05 02:00:01,001 77 WARNING db odoo.http: something else\n"
    )
    retried = tmp_path / "odoo-retried.log"
    retried.write_text(
        "2026-01-05 02:00:02,002 77 WARNING db odoo.http: cannot execute UPDATE in a "
        "read-only transaction, retrying with a read/write cursor\n"
        "2026-01-05 02:00:03,003 77 WARNING db odoo.modules.registry: Failed to open "
        "a readonly cursor, falling back to read-write cursor for 1min 0sec\n"
    )
    result = bash(f"readwrite_retry_lines {clean}")
    assert result.returncode == 0 and result.stdout == ""
    result = bash(f"readwrite_retry_lines {clean} {retried}")
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(str(retried)) for line in lines)


def test_the_replica_round_replaces_the_second_real_client_round():
    """make test keeps its length: round 2 (--workers=2) reads from the replica, the
    standby is stopped with the run, and its logs are searched for retries."""
    script = (PROJECT_DIR / "scripts" / "test.sh").read_text()
    assert 'run_replica_round "$db"' in script
    assert 'run_rpc_client_tests "$db" 2' not in script
    assert "--db_replica_host=" in script
    cleanup = script[script.index("cleanup_run() {") :]
    assert "stop_replica" in cleanup[: cleanup.index("}")]
    assert re.search(r"check_readwrite_retries\n\s*cleanup_run", script)
