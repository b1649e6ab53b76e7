"""Reads served by a real streaming replica.

make test starts a hot standby of its own PostgreSQL cluster (pg_basebackup -R) and
a demo server with --db_replica_host/--db_replica_port, then runs this file: the
portal's ticket list and pages (a portal user), the managers' overview data and an
XLSX export (the admin, a logistics manager) over HTTP and JSON-RPC. PostgreSQL's
own statistics on the standby show the reads were served there, and the server
logged no read/write retry. Run alone, the test is skipped.
"""

import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from web_session import Web

psycopg2 = pytest.importorskip("psycopg2")
openpyxl = pytest.importorskip("openpyxl")

URL = os.environ.get("LOGISTICS_CRM_RPC_URL")
DB = os.environ.get("LOGISTICS_CRM_RPC_DB")
REPLICA_PORT = os.environ.get("LOGISTICS_CRM_REPLICA_PORT")
SERVER_LOG = os.environ.get("LOGISTICS_CRM_REPLICA_SERVER_LOG")
STATS_OUT = os.environ.get("LOGISTICS_CRM_REPLICA_STATS")
pytestmark = pytest.mark.skipif(
    not (URL and REPLICA_PORT), reason="no server reading from a replica given"
)

PORTAL = ("eastwind-portal", "eastwind-portal")
ADMIN = ("admin", "admin")
# the tables the portal, the overview and the export read
TABLES = ["logistics_ticket", "logistics_customer_tier", "logistics_tier_policy"]
RETRY = "retrying with a read/write cursor"
NO_REPLICA = "Failed to open a readonly cursor"


def connect(port):
    conn = psycopg2.connect(
        dbname=DB,
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=port,
        user=os.environ.get("DB_USER", "odoo"),
        password=os.environ.get("DB_PASSWORD", "odoo"),
    )
    # one statement, one transaction: each read of the statistics is fresh
    conn.autocommit = True
    return conn


def query(conn, sql, params=None):
    with conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


@pytest.fixture(scope="module")
def standby():
    conn = connect(REPLICA_PORT)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def primary():
    conn = connect(os.environ.get("DB_PORT", "5432"))
    yield conn
    conn.close()


def caught_up(primary, standby, timeout=30):
    """Waits until the standby has replayed what the primary wrote so far (a
    record just created on the primary is then readable on the standby)."""
    [(target,)] = query(primary, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [(done,)] = query(
            standby, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
        )
        if done:
            return
        time.sleep(0.1)
    pytest.fail(f"the standby did not replay the primary's WAL up to {target}")


def standby_stats(standby):
    scans = dict(
        query(
            standby,
            """SELECT relname, seq_scan + COALESCE(idx_scan, 0)
                 FROM pg_stat_user_tables WHERE relname = ANY(%s)""",
            [TABLES],
        )
    )
    [(commits, returned, fetched)] = query(
        standby,
        """SELECT xact_commit, tup_returned, tup_fetched
             FROM pg_stat_database WHERE datname = current_database()""",
    )
    return {
        "scans": {table: scans.get(table, 0) for table in TABLES},
        "xact_commit": commits,
        "tup_returned": returned,
        "tup_fetched": fetched,
    }


def test_the_standby_is_a_replica_of_the_test_database(standby):
    assert query(standby, "SELECT pg_is_in_recovery()") == [(True,)]
    assert query(standby, "SELECT current_database()") == [(DB,)]
    with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
        query(standby, "CREATE TEMPORARY TABLE logistics_crm_probe (id int)")


def test_reads_are_served_by_the_standby(primary, standby):
    portal = Web(*PORTAL)
    manager = Web(*ADMIN)
    # written on the primary: the export's parameters (a wizard row)
    wizard_id = manager.call("call_kw", "logistics.abc.export.wizard", "create", {})
    caught_up(primary, standby)
    before = standby_stats(standby)
    requests_made = 0

    # the portal: the ticket list, then every ticket it links
    listing = portal.get("/my/logistics/tickets").text
    requests_made += 1
    ticket_ids = sorted(set(re.findall(r"/my/logistics/tickets/(\d+)\?", listing)))
    assert ticket_ids, "the demo portal user sees no ticket"
    for ticket_id in ticket_ids:
        page = portal.get(f"/my/logistics/tickets/{ticket_id}").text
        assert 'id="ticket_chat"' in page
        requests_made += 1

    # the managers' overview: the morning screen's figures and the policy cards
    figures = manager.call("call_kw", "logistics.tier.policy", "get_manager_dashboard")
    assert figures["company_ids"]
    cards = manager.call(
        "call_kw",
        "logistics.tier.policy",
        "web_search_read",
        [],
        specification={"dashboard_tickets_on_track": {}, "dashboard_grades": {}},
    )
    assert cards["records"]
    requests_made += 2

    # an export: the button only returns the download, built on the replica
    action = manager.call(
        "call_button", "logistics.abc.export.wizard", "action_download", [wizard_id]
    )
    response = manager.get(action["url"])
    assert "spreadsheetml" in response.headers["Content-Type"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.max_row > 3
    requests_made += 2

    # statistics reach the shared view when a backend flushes them (up to ~10 s
    # after its last transaction)
    deadline = time.monotonic() + 30
    while True:
        after = standby_stats(standby)
        grew = all(after["scans"][t] > before["scans"][t] for t in TABLES)
        if grew and after["xact_commit"] - before["xact_commit"] >= requests_made:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"the standby served none of it: {before} -> {after}")
        time.sleep(0.5)
    summary = {
        "requests": requests_made,
        "before": before,
        "after": after,
        "scans_on_standby": {t: after["scans"][t] - before["scans"][t] for t in TABLES},
        "xact_commit_on_standby": after["xact_commit"] - before["xact_commit"],
        "tup_returned_on_standby": after["tup_returned"] - before["tup_returned"],
        "tup_fetched_on_standby": after["tup_fetched"] - before["tup_fetched"],
    }
    if STATS_OUT:
        Path(STATS_OUT).write_text(json.dumps(summary, indent=1))


@pytest.mark.skipif(not SERVER_LOG, reason="no server log given")
def test_server_never_fell_back_to_the_primary():
    log = Path(SERVER_LOG).read_text(errors="replace")
    lines = [line for line in log.splitlines() if RETRY in line or NO_REPLICA in line]
    assert not lines, "\n".join(lines[:10])
