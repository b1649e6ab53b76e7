"""The harness's database helpers against the real PostgreSQL server: a test database
is dropped even while a session still holds it, and a failed drop is reported.

make test runs it once its cluster is up (LOGISTICS_CRM_HARNESS_PG=1); run alone, the
test is skipped.
"""

import os
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
