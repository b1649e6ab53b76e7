"""The two-server test's own logic (tests/integration/two_servers_logic.py):
zones whose night has come, duplicates, and reading the servers' logs."""

import importlib.util
from datetime import datetime
from pathlib import Path

import pytest
import pytz

PATH = Path(__file__).resolve().parent / "integration" / "two_servers_logic.py"
spec = importlib.util.spec_from_file_location("two_servers_logic", PATH)
logic = importlib.util.module_from_spec(spec)
spec.loader.exec_module(logic)


@pytest.mark.parametrize("hour", range(24))
def test_zones_have_their_night_behind_them_at_any_hour(hour):
    now = datetime(2026, 12, 7, hour, 40)
    zones = logic.choose_zones(now, 3)
    assert len(zones) == 3
    offsets = {pytz.timezone(zone).utcoffset(now) for zone in zones}
    assert len(offsets) == 3, "three different clocks"
    for zone in zones:
        assert logic.EARLIEST_HOUR <= logic.local_hour(zone, now) <= logic.LATEST_HOUR


def test_zones_prefer_the_issue_three_and_skip_one_too_early():
    # 06:40 UTC: New York is at 01:40, before the night's jobs; Tokyo comes next
    zones = logic.choose_zones(datetime(2026, 12, 7, 6, 40), 3)
    assert zones == ["Asia/Shanghai", "Europe/Brussels", "Asia/Tokyo"]
    # 12:00 UTC: all three are in their day
    zones = logic.choose_zones(datetime(2026, 12, 7, 12, 0), 3)
    assert zones == ["Asia/Shanghai", "Europe/Brussels", "America/New_York"]


def test_zones_keep_a_margin_before_the_local_evening_ends():
    # Shanghai at 21:50 leaves its window within the margin: not chosen
    zones = logic.choose_zones(datetime(2026, 12, 7, 13, 50), 2)
    assert "Asia/Shanghai" not in zones


def test_zones_refuse_when_too_few_fit():
    with pytest.raises(ValueError):
        logic.choose_zones(datetime(2026, 12, 7, 12, 0), 3, candidates=("UTC",))


def test_duplicates():
    rows = [(1, "a"), (2, "a"), (1, "a"), (3, "b")]
    assert logic.duplicates(rows, key=lambda row: row) == {(1, "a"): 2}
    assert logic.duplicates(rows, key=lambda row: row[1]) == {"a": 3}
    assert logic.duplicates([], key=lambda row: row) == {}


LOG = """\
2026-12-07 06:44:01,000 100 INFO db werkzeug: 127.0.0.1 "POST /jsonrpc" 200
2026-12-07 06:44:02,668 100 ERROR db odoo.sql_db: bad query: b' UPDATE "crm_x"
                    SET "won_count" = 1'
ERROR: could not serialize access due to concurrent update

2026-12-07 06:44:02,670 200 INFO db werkzeug: another process in between
2026-12-07 06:44:02,680 100 INFO db odoo.service.model: SERIALIZATION_FAILURE, \
4 tries left, try again in 1.8539 sec...
2026-12-07 06:44:35,249 300 INFO db odoo.addons.base.models.ir_cron: Job \
'Logistics CRM: recompute customer tiers' (25) processed 1 records, 2 records \
remaining
2026-12-07 06:44:36,000 300 INFO ? odoo.service.server: Worker WorkerCron (300) alive
2026-12-07 06:44:37,000 300 DEBUG db odoo.addons.base.models.ir_cron: Job \
'Logistics CRM: plan customer visits' (21) processed 1 records, 0 records \
remaining
2026-12-07 06:44:37,100 300 INFO db odoo.addons.base.models.ir_cron: Job \
'Logistics CRM: plan customer visits' (21) fully done (#loop 2; done 1; \
remaining 0; duration 0.45s)
"""


def lines(text):
    return text.splitlines(keepends=True)


def test_a_replayed_serialization_failure_is_no_failure():
    failures, retried = logic.log_failures(lines(LOG))
    assert (failures, retried) == ([], 1)


def test_a_company_job_tried_again_after_a_collision_is_no_failure():
    collided = LOG.replace(
        "odoo.service.model: SERIALIZATION_FAILURE, 4 tries left",
        "odoo.addons.logistics_crm.models.logistics_tier_policy_cron: Logistics CRM:"
        " reclaim of company Two Servers East (id 1) collided with another"
        " transaction (40001); tried again in 15 s",
    )
    assert logic.log_failures(lines(collided)) == ([], 1)


def test_a_job_that_could_not_lock_the_next_company_is_no_failure():
    """Locking the next company fails to serialize when another server's job
    marked it after the call began (seen on Odoo 19.0): tried again soon."""
    unlocked = LOG.replace(
        "odoo.service.model: SERIALIZATION_FAILURE, 4 tries left",
        "odoo.addons.logistics_crm.models.logistics_tier_policy_cron: Logistics CRM:"
        " recompute could not lock the next company (40001); tried again in 15 s",
    )
    assert logic.log_failures(lines(unlocked)) == ([], 1)


def test_errors_tracebacks_and_read_write_retries_fail():
    unreplayed = LOG.replace("SERIALIZATION_FAILURE, 4 tries left", "done")
    failures, retried = logic.log_failures(lines(unreplayed))
    assert retried == 0 and len(failures) == 1
    assert "could not serialize" in failures[0]
    extra = (
        "Traceback (most recent call last):\n  File x\nDistributionNotFound: y\n"
        + LOG
        + "2026-12-07 06:45:00,000 100 WARNING db odoo.http: cannot execute UPDATE"
        " in a read-only transaction, retrying with a read/write cursor\n"
        "2026-12-07 06:45:01,000 300 ERROR db odoo.addons.logistics_crm: visits"
        " failed for company X\n"
        "2026-12-07 06:45:02,000 300 WARNING db odoo.addons.base.models.ir_cron:"
        " Exception in cron:\nTraceback (most recent call last):\n  File y\n"
    )
    failures, retried = logic.log_failures(lines(extra))
    assert retried == 1
    assert len(failures) == 4
    assert failures[0].startswith("Traceback")


def test_cron_calls_and_workers():
    # 18.0 logs each call at INFO, 19.0 at DEBUG (its INFO line is the sum)
    assert logic.cron_calls(lines(LOG)) == [
        (300, "Logistics CRM: recompute customer tiers", 1, 2),
        (300, "Logistics CRM: plan customer visits", 1, 0),
    ]
    assert logic.cron_calls(lines(LOG), since=datetime(2026, 12, 7, 6, 45)) == []
    assert logic.cron_worker_pids(lines(LOG)) == {300}
