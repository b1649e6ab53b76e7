"""Odoo-free pieces of the two-server test (tests/integration/test_two_servers.py):
which time zones make every company's night come now, duplicates among result
rows, and what the servers' logs say. Unit-tested in tests/test_two_servers_logic.py.
"""

import re
from collections import Counter
from datetime import datetime, timedelta

import pytz

# zones tried in this order: the three first, then one per other offset
ZONE_CANDIDATES = (
    "Asia/Shanghai",
    "Europe/Brussels",
    "America/New_York",
    "Asia/Tokyo",
    "Europe/London",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/Moscow",
    "America/Sao_Paulo",
    "America/Chicago",
    "Asia/Bangkok",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "America/Anchorage",
    "Atlantic/Azores",
    "America/Halifax",
    "Asia/Karachi",
    "America/Denver",
    "Asia/Kathmandu",
    "Pacific/Guam",
    "America/Noronha",
    "Africa/Lagos",
)
# a company's local hour at the run must be past every job's hour (the latest,
# the pool reclaim, is 05:00) and far enough from midnight that its local day
# does not change while the test runs
EARLIEST_HOUR = 6
LATEST_HOUR = 21

# the start of a log entry: "2026-12-07 07:01:02,123 4242 INFO db logger: message"
ENTRY = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<pid>\d+) (?P<level>[A-Z]+) "
)
SERIALIZATION = "could not serialize access due to concurrent update"
# what replays a transaction that failed to serialize: Odoo's RPC layer, or a
# per-company job of the addon (the company is tried again soon, in the same run)
RETRY = re.compile(
    r"odoo\.service\.model: SERIALIZATION_FAILURE, \d+ tries left"
    r"|Logistics CRM: \w+ of company .* collided with another transaction"
    r"|Logistics CRM: \w+ could not lock the next company"
)
READ_WRITE_RETRY = "retrying with a read/write cursor"
# "2026-12-07 07:01:02,123 4242 INFO db odoo.addons.base.models.ir_cron:
#  Job 'Logistics CRM: plan customer visits' (12) processed 1 records, 2 records
#  remaining"
# (19.0 logs each call at DEBUG, its INFO line sums a runner's calls: the servers
# run with --log-handler=odoo.addons.base.models.ir_cron:DEBUG)
CRON_LINE = re.compile(
    r"^\S+ \S+ (?P<pid>\d+) (?:INFO|DEBUG) \S+ odoo\.addons\.base\.models\.ir_cron: "
    r"Job '(?P<job>.*)' \((?P<id>\d+)\) processed (?P<done>\d+) records, "
    r"(?P<remaining>\d+) records remaining"
)
# "... 4242 INFO ? odoo.service.server: Worker WorkerCron (4242) alive"
CRON_WORKER_LINE = re.compile(r"Worker WorkerCron \((?P<pid>\d+)\) alive")


def local_hour(zone, now_utc):
    return pytz.utc.localize(now_utc).astimezone(pytz.timezone(zone)).hour


def local_date(zone, now_utc):
    return pytz.utc.localize(now_utc).astimezone(pytz.timezone(zone)).date()


def choose_zones(now_utc, count, margin_minutes=30, candidates=ZONE_CANDIDATES):
    """`count` zones of distinct UTC offsets whose local hour is between
    EARLIEST_HOUR and LATEST_HOUR now and still `margin_minutes` later.

    :param now_utc: naive UTC datetime
    :raise ValueError: when fewer zones fit
    """
    later = now_utc + timedelta(minutes=margin_minutes)
    chosen, offsets = [], set()
    for zone in candidates:
        offset = pytz.timezone(zone).utcoffset(now_utc)
        if offset in offsets:
            continue
        if all(
            EARLIEST_HOUR <= local_hour(zone, moment) <= LATEST_HOUR
            for moment in (now_utc, later)
        ):
            chosen.append(zone)
            offsets.add(offset)
        if len(chosen) == count:
            return chosen
    raise ValueError(f"only {len(chosen)} zones fit at {now_utc:%H:%M} UTC")


def duplicates(rows, key):
    """The keys (`key(row)`) found in more than one row, with their counts."""
    counts = Counter(key(row) for row in rows)
    return {k: n for k, n in counts.items() if n > 1}


def log_entries(lines):
    """[(pid, level, text)] of a server log: an entry runs from its header line
    to the next one (a traceback, a query); lines before any header (a child
    process dying at start-up) make entries of their own (pid and level None)."""
    entries = []
    for line in lines:
        match = ENTRY.match(line)
        if match:
            entries.append([int(match["pid"]), match["level"], line])
        elif entries:
            entries[-1][2] += line
        else:
            entries.append([None, None, line])
    return [tuple(entry) for entry in entries]


def log_failures(lines):
    """(failures, retried): the log entries that fail the test, and how many
    serialization failures were replayed (logged as "bad query" at ERROR by
    odoo.sql_db, then next by the same process "SERIALIZATION_FAILURE, N tries
    left" by Odoo's RPC layer, whose last failed try reaches the client, or
    "collided with another transaction" or "could not lock the next company" by a
    per-company job, which tries again soon).

    Failures: any other ERROR or CRITICAL entry, a traceback in any entry, and
    a read-only request replayed on a read/write cursor.
    """
    entries = log_entries(lines)
    failures, retried = [], 0
    for index, (pid, level, text) in enumerate(entries):
        if level in ("ERROR", "CRITICAL"):
            following = next(
                (later for later in entries[index + 1 :] if later[0] == pid), None
            )
            if SERIALIZATION in text and following and RETRY.search(following[2]):
                retried += 1
                continue
            failures.append(text)
        elif "Traceback (most recent call last)" in text or READ_WRITE_RETRY in text:
            failures.append(text)
    return failures, retried


def cron_calls(lines, since=None):
    """[(pid, job name, done, remaining)] of the runner's calls logged in `lines`
    (from `since`, a naive datetime of the log's clock, when given)."""
    calls = []
    for line in lines:
        match = CRON_LINE.match(line)
        if not match:
            continue
        if since is not None:
            logged = datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
            if logged < since.replace(microsecond=0):
                continue
        calls.append(
            (
                int(match["pid"]),
                match["job"],
                int(match["done"]),
                int(match["remaining"]),
            )
        )
    return calls


def cron_worker_pids(lines):
    return {int(m["pid"]) for line in lines if (m := CRON_WORKER_LINE.search(line))}
