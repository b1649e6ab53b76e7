"""The harness's database helpers against the real PostgreSQL server: a test database
is dropped even while a session still holds it, and a failed drop is reported.

make test runs it once its cluster is up (LOGISTICS_CRM_HARNESS_PG=1); run alone, the
test is skipped.
"""

import os
import socket
import subprocess
from pathlib import Path

import psycopg2
import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("LOGISTICS_CRM_HARNESS_PG"), reason="no PostgreSQL server given"
)
COMMON = Path(__file__).resolve().parent.parent.parent / "scripts" / "common.sh"
DB = f"logistics_crm_harness_{os.getpid()}"


def bash(script, **env):
    return subprocess.run(  # noqa: S603 - our own script
        ["bash", "-c", f'source "{COMMON}"\n{script}'],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )


def connect(dbname):
    return psycopg2.connect(
        dbname=dbname,
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=os.environ.get("DB_PORT", "5432"),
        user=os.environ.get("DB_USER", "odoo"),
        password=os.environ.get("DB_PASSWORD", "odoo"),
    )


def db_exists(name):
    with connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def test_drop_db_ends_sessions_still_connected():
    assert bash(f"drop_db {DB}").returncode == 0
    conn = connect("postgres")
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{DB}"')
    conn.close()
    # a session left open on the database, as an orphaned server's would be
    holder = connect(DB)
    try:
        result = bash(f"drop_db {DB}")
        assert result.returncode == 0, result.stderr
        assert not db_exists(DB)
        with pytest.raises(psycopg2.OperationalError):
            holder.cursor().execute("SELECT 1")
    finally:
        holder.close()


def test_failed_drop_is_reported():
    result = bash(f"drop_db {DB}", DB_USER="no_such_role_for_the_harness")
    assert result.returncode != 0
    assert f"could not drop database {DB}" in result.stderr


def test_leftovers_are_found():
    run_id = f"9{os.getpid()}"
    name = bash(f"test_db_name demo {run_id}").stdout.strip()
    conn = connect("postgres")
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        result = bash(f"run_leftovers {run_id}")
        assert result.returncode != 0
        assert name in result.stdout
    finally:
        conn.cursor().execute(f'DROP DATABASE "{name}"')
        conn.close()
    assert bash(f"run_leftovers {run_id}").returncode == 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_replica_is_a_hot_standby_and_leaves_nothing():
    run_id = f"8{os.getpid()}"
    port = free_port()
    result = bash(
        f"""
        start_replica {run_id} || exit 3
        psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -d postgres -tAc \
            "SELECT 'recovery=' || pg_is_in_recovery()"
        echo "dir=$REPLICA_DIR"
        stop_replica
        echo "left=[$(replica_leftovers {run_id})]"
        """,
        REPLICA_PORT=str(port),
    )
    assert result.returncode == 0, result.stderr
    assert "recovery=true" in result.stdout
    directory = result.stdout.split("dir=")[1].split()[0]
    assert f"logistics_crm_replica_{run_id}_" in directory
    assert not Path(directory).exists()
    assert "left=[]" in result.stdout
    assert bash(f"run_leftovers {run_id}").returncode == 0


def test_replica_leftovers_are_found():
    run_id = f"7{os.getpid()}"
    local = COMMON.parent.parent / ".local"
    local.mkdir(exist_ok=True)
    left = local / f"logistics_crm_replica_{run_id}_x1"
    left.mkdir()
    slot = f"logistics_crm_replica_{run_id}"
    created = bash(
        f"primary_sql \"SELECT pg_create_physical_replication_slot('{slot}')\""
    )
    assert created.returncode == 0, created.stderr
    try:
        result = bash(f"run_leftovers {run_id}")
        assert result.returncode != 0
        assert str(left) in result.stdout
        # a slot left on the primary would keep its WAL forever
        assert f"replication slot: {slot}" in result.stdout
    finally:
        left.rmdir()
        bash(f"primary_sql \"SELECT pg_drop_replication_slot('{slot}')\"")
    assert bash(f"run_leftovers {run_id}").returncode == 0
