"""Two real Odoo servers, one database: the nightly jobs and the users at once.

make test (scripts/test.sh, run_two_server_tests) installs both addons without
demo data, seeds three companies (two_servers_seed.py), starts two servers
(each --workers=2 --max-cron-threads=1, its own HTTP and gevent port) and sets:
LOGISTICS_CRM_TWO_SERVERS_URLS (the two servers, comma-separated),
LOGISTICS_CRM_TWO_SERVERS_DB, LOGISTICS_CRM_TWO_SERVERS_SEED (the seed's JSON),
LOGISTICS_CRM_TWO_SERVERS_LOGS (the servers' logs, in the order of the URLs),
LOGISTICS_CRM_TWO_SERVERS_GEVENT_URLS (their gevent ports) and
DB_HOST/DB_PORT/DB_USER/DB_PASSWORD. Run alone, the test is skipped.

At one moment the per-company scheduled actions (the monthly recompute, visit
planning, activity planning, the pool reclaim; the ticket and renewal crons
too) become due for every company and both servers' cron workers are woken,
while reps create tickets and win deals over JSON-RPC on both servers. Then:
every company's job ran exactly once for its local day, nothing the jobs or the
users made is duplicated or lost, no request failed, and the servers logged no
error and no read/write retry.
"""

import json
import os
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import two_servers_logic as logic  # noqa: E402

psycopg2 = pytest.importorskip("psycopg2")

URLS = [u for u in os.environ.get("LOGISTICS_CRM_TWO_SERVERS_URLS", "").split(",") if u]
DB = os.environ.get("LOGISTICS_CRM_TWO_SERVERS_DB")
SEED = os.environ.get("LOGISTICS_CRM_TWO_SERVERS_SEED")
LOGS = [p for p in os.environ.get("LOGISTICS_CRM_TWO_SERVERS_LOGS", "").split(",") if p]
GEVENT_URLS = [
    u
    for u in os.environ.get("LOGISTICS_CRM_TWO_SERVERS_GEVENT_URLS", "").split(",")
    if u
]
pytestmark = pytest.mark.skipif(
    len(URLS) < 2 or not DB or not SEED, reason="no two running Odoo servers given"
)

JOBS = ("recompute", "visits", "planner", "reclaim")
JOB_CRONS = {
    "recompute": "Logistics CRM: recompute customer tiers",
    "visits": "Logistics CRM: plan customer visits",
    "planner": "Logistics CRM: proactive, re-engage and birthday activities",
    "reclaim": "Logistics CRM: return customers not followed up to the pool",
}
THREADS_PER_SERVER = 3
TICKETS_PER_THREAD = 10
WAIT_SECONDS = int(os.environ.get("LOGISTICS_CRM_TWO_SERVERS_WAIT", "240"))


def connect_db(dbname=DB):
    return psycopg2.connect(
        dbname=dbname,
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=os.environ.get("DB_PORT", "5432"),
        user=os.environ.get("DB_USER", "odoo"),
        password=os.environ.get("DB_PASSWORD", "odoo"),
    )


def query(cr, sql, params=None):
    cr.execute(sql, params)
    return cr.fetchall()


def jsonrpc(url, service, method, *args):
    """One JSON-RPC call (stateless: safe from several threads); raises on a
    fault, an HTTP error or a time-out."""
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": list(args)},
        }
    ).encode()
    request = urllib.request.Request(
        f"{url}/jsonrpc", payload, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    if answer.get("error"):
        error = answer["error"]
        raise RuntimeError(error.get("data", {}).get("message") or error["message"])
    return answer["result"]


class Rep:
    """A rep working on one server: creates tickets, wins their deals, reads."""

    def __init__(self, url, login, password, company, leads):
        self.url, self.login, self.password = url, login, password
        self.company, self.leads = company, leads
        self.uid = None
        self.ticket_ids, self.won, self.failures = [], [], []
        self.calls = 0

    def call(self, model, method, args, kwargs=None):
        self.calls += 1
        return jsonrpc(
            self.url,
            "object",
            "execute_kw",
            DB,
            self.uid,
            self.password,
            model,
            method,
            args,
            kwargs or {},
        )

    def login_now(self):
        self.uid = jsonrpc(self.url, "common", "login", DB, self.login, self.password)
        assert self.uid, f"{self.login} could not log in on {self.url}"

    def work(self, start):
        start.wait()
        contacts = self.company["contact_ids"]
        # a deal won every few tickets, a read after each
        leads = list(self.leads)
        steps = []
        for n in range(TICKETS_PER_THREAD):
            steps.append(("ticket", n))
            if n % 2 and leads:
                steps.append(("won", leads.pop(0)))
        steps += [("won", lead) for lead in leads]
        for kind, value in steps:
            try:
                if kind == "ticket":
                    ticket_id = self.call(
                        "logistics.ticket",
                        "create",
                        [
                            {
                                "name": f"{self.login} on {self.url} #{value}",
                                "partner_id": contacts[
                                    (value * 7 + len(self.login)) % len(contacts)
                                ],
                                "company_id": self.company["id"],
                            }
                        ],
                    )
                    self.ticket_ids.append(ticket_id)
                else:
                    self.call("crm.lead", "action_set_won", [[value]])
                    self.won.append(value)
                self.call(
                    "res.partner",
                    "search_read",
                    [[("customer_rank", ">", 0), ("is_company", "=", True)]],
                    {"fields": ["name", "key_account_manager_id"], "limit": 40},
                )
            except Exception as error:  # noqa: BLE001  # every failure is reported
                self.failures.append(f"{self.login}@{self.url} {kind} {value}: {error}")


def make_due(cr, cron_ids):
    """Every company's night has come for every job, on both servers at once."""
    cr.execute(
        """
        UPDATE logistics_tier_policy
           SET cron_recompute_day = NULL, cron_visits_day = NULL,
               cron_planner_day = NULL, cron_reclaim_day = NULL
        """
    )
    cr.execute(
        "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' WHERE id = ANY(%s)",
        [cron_ids],
    )
    cr.connection.commit()
    # what ir.cron._trigger() does for a call due now (ir.cron._notifydb): wakes
    # every cron worker, one per server here; they LISTEN on a connection to the
    # 'postgres' database, and a NOTIFY reaches the listeners of its own
    # database only
    wake = connect_db("postgres")
    try:
        with wake.cursor() as wake_cr:
            wake_cr.execute("SELECT pg_notify('cron_trigger', %s)", [DB])
        wake.commit()
    finally:
        wake.close()


def jobs_finished(cr, companies, cron_ids, since):
    """What still keeps the run from being finished (empty: finished)."""
    waiting = []
    now = datetime.utcnow()
    for company in companies:
        days = query(
            cr,
            "SELECT cron_recompute_day, cron_visits_day, cron_planner_day,"
            " cron_reclaim_day FROM logistics_tier_policy WHERE id = %s",
            [company["policy_id"]],
        )[0]
        today = logic.local_date(company["zone"], now)
        for job, day in zip(JOBS, days, strict=True):
            if day != today:
                waiting.append(f"{job} of {company['name']} (marker {day})")
    running = query(
        cr, "SELECT job FROM logistics_job_run WHERE state = 'running'", None
    )
    waiting += [f"open run of {job}" for (job,) in running]
    # a job that left a company for later comes back on a trigger, soon
    due = query(
        cr,
        "SELECT cron_name FROM ir_cron WHERE id = ANY(%s) AND active"
        " AND (nextcall <= %s OR id IN (SELECT cron_id FROM ir_cron_trigger"
        " WHERE call_at <= (now() AT TIME ZONE 'UTC') + interval '5 minutes'))",
        [cron_ids, since],
    )
    waiting += [f"cron not rescheduled: {name}" for (name,) in due]
    return waiting


def read_log(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.readlines()


def test_each_server_runs_its_gevent_process():
    """--workers starts a gevent process (the bus's websockets) on
    --gevent-port: it answers there, beside the HTTP workers."""
    assert len(GEVENT_URLS) == len(URLS)
    for url in URLS + GEVENT_URLS:
        request = urllib.request.Request(
            f"{url}/web/webclient/version_info",
            json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            serie = json.load(response)["result"]["server_serie"]
            assert serie == f"{os.environ.get('ODOO_VERSION', '18')}.0", url


def test_two_servers_nightly_jobs_and_users(capsys):
    seed = json.loads(Path(SEED).read_text())
    companies = seed["companies"]
    conn = connect_db()
    conn.autocommit = False
    cr = conn.cursor()
    now = datetime.utcnow()
    for company in companies:
        hour = logic.local_hour(company["zone"], now)
        assert logic.EARLIEST_HOUR <= hour <= logic.LATEST_HOUR + 1, (
            f"{company['name']} in {company['zone']} is at {hour}h: not its day"
        )
    (last_run,) = query(cr, "SELECT COALESCE(MAX(id), 0) FROM logistics_job_run")[0]
    (last_history,) = query(
        cr, "SELECT COALESCE(MAX(id), 0) FROM logistics_tier_history"
    )[0]
    (tickets_before,) = query(cr, "SELECT COUNT(*) FROM logistics_ticket")[0]
    conn.commit()

    # the reps: each server gets reps of every company, each rep one server
    reps = []
    for company in companies:
        for n, (login, rep) in enumerate(sorted(company["reps"].items())):
            url = URLS[n % len(URLS)]
            reps.append(Rep(url, login, rep["password"], company, rep["leads"]))
    per_server = Counter(rep.url for rep in reps)
    assert all(per_server[url] >= 1 for url in URLS)
    for rep in reps:
        rep.login_now()
    start = threading.Barrier(len(reps) + 1)
    threads = [
        threading.Thread(target=rep.work, args=(start,), name=rep.login) for rep in reps
    ]
    for thread in threads:
        thread.start()
    since = datetime.utcnow()
    make_due(cr, seed["cron_ids"])
    start.wait()
    for thread in threads:
        thread.join(timeout=WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        conn.rollback()
        waiting = jobs_finished(cr, companies, seed["cron_ids"], since)
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(2)
    elapsed = (datetime.utcnow() - since).total_seconds()
    assert not waiting, f"not finished after {WAIT_SECONDS}s: {waiting}"

    # ------------------------------------------------------------ no request failed
    failures = [failure for rep in reps for failure in rep.failures]
    assert not failures, "\n".join(failures)

    # ----------------------------------------- each company's job once for its day
    policy_ids = [company["policy_id"] for company in companies]
    runs = {}
    for job in JOBS:
        rows = query(
            cr,
            "SELECT id, company_count, scheduled, state FROM logistics_job_run"
            " WHERE job = %s AND id > %s",
            [job, last_run],
        )
        runs[job] = rows
        done = sum(count for _id, count, _s, _st in rows)
        assert done == len(companies), (
            f"{job}: {done} company-runs for {len(companies)} companies: {rows}"
        )
        assert all(scheduled and state == "done" for _i, _c, scheduled, state in rows)
        markers = query(
            cr,
            f"SELECT cron_{job}_run_id FROM logistics_tier_policy WHERE id = ANY(%s)",
            [policy_ids],
        )
        run_ids = {row[0] for row in rows}
        assert {marker for (marker,) in markers} <= run_ids, (job, markers, rows)

    # ------------------------------------------------ nothing duplicated or lost
    history = query(
        cr,
        "SELECT partner_id, company_id FROM logistics_tier_history"
        " WHERE id > %s AND source = 'cron'",
        [last_history],
    )
    assert not logic.duplicates(history, key=lambda row: row), "tier history twice"
    customers = {cid for company in companies for cid in company["customer_ids"]}
    historied = {partner_id for partner_id, _company in history}
    assert customers <= historied, f"{len(customers - historied)} customers lost"
    activities = query(
        cr,
        "SELECT res_model, res_id, activity_type_id, user_id, date_deadline"
        " FROM mail_activity",
    )
    dup_activities = logic.duplicates(activities, key=lambda row: row)
    assert not dup_activities, f"activities twice: {dup_activities}"
    visits = query(
        cr,
        "SELECT partner_id, (date AT TIME ZONE 'UTC')::date FROM logistics_visit"
        " WHERE state = 'planned'",
    )
    dup_visits = logic.duplicates(visits, key=lambda row: row)
    assert not dup_visits, f"visits twice: {dup_visits}"
    created = [ticket_id for rep in reps for ticket_id in rep.ticket_ids]
    assert len(created) == len(set(created)) == len(reps) * TICKETS_PER_THREAD
    tickets = query(
        cr,
        "SELECT id, company_id, number FROM logistics_ticket WHERE id = ANY(%s)",
        [created],
    )
    assert len(tickets) == len(created), "tickets the clients created are missing"
    assert all(number and number != "New" for _id, _c, number in tickets)
    numbers = query(cr, "SELECT company_id, number FROM logistics_ticket")
    assert len(numbers) == tickets_before + len(created)
    assert not logic.duplicates(numbers, key=lambda row: row), "ticket number twice"
    won = [lead for rep in reps for lead in rep.won]
    assert sorted(won) == sorted(lead for rep in reps for lead in rep.leads)
    lost_deals = query(
        cr,
        "SELECT lead.id FROM crm_lead lead JOIN crm_stage stage"
        " ON stage.id = lead.stage_id WHERE lead.id = ANY(%s)"
        " AND NOT (stage.is_won AND lead.active)",
        [won],
    )
    assert not lost_deals, f"deals not won: {lost_deals}"

    # ----------------------------------------- the servers' logs: who did what
    report = [
        f"two servers: {len(reps)} reps, {sum(rep.calls for rep in reps)} calls, "
        f"jobs finished {elapsed:.0f}s after they became due"
    ]
    done_per_job = defaultdict(int)
    for url, path in zip(URLS, LOGS, strict=False):
        lines = read_log(path)
        problems, retried = logic.log_failures(lines)
        assert not problems, f"{path}:\n" + "\n".join(p[:2000] for p in problems[:10])
        workers = logic.cron_worker_pids(lines)
        assert workers, f"no cron worker came up in {path}"
        calls = [
            call
            for call in logic.cron_calls(lines)
            if call[1] in JOB_CRONS.values() and call[0] in workers
        ]
        for _pid, name, done, _remaining in calls:
            done_per_job[name] += done
        jobs = sorted({name for _pid, name, _d, _r in calls})
        report.append(
            f"  {url}: cron worker(s) {sorted(workers)}, {len(calls)} job calls, "
            f"{per_server[url]} reps, {retried} transactions replayed after a"
            f" serialization failure; jobs: {jobs or 'none'}"
        )
    if len(LOGS) == len(URLS):
        # the runner's own lines: each company done once per job over both servers
        for job, name in JOB_CRONS.items():
            assert done_per_job[name] == len(companies), (job, dict(done_per_job))
    with capsys.disabled():
        print("\n" + "\n".join(report))
    conn.close()
