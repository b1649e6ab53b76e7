"""The simulated year's Odoo-free parts (tests/simulation): the seeded event model
and the invariants' own arithmetic, which must be right before they judge Odoo."""

from datetime import date, datetime, time, timedelta

from simulation import events as ev
from simulation import invariants as inv


def small_world(seed=5, days=120, customers=40):
    return ev.build_world(seed, days, customers)


# ----------------------------------------------------------------------
# the event model
# ----------------------------------------------------------------------
def test_same_seed_same_world_other_seed_other_world():
    def fingerprint(world):
        return [
            (e.day, e.at, e.kind, e.company, e.customer, e.ref) for e in world.events
        ]

    assert fingerprint(small_world(5)) == fingerprint(small_world(5))
    assert fingerprint(small_world(5)) != fingerprint(small_world(6))


def test_the_default_year_has_every_kind_of_event():
    world = ev.build_world()
    counts = world.summary()
    assert world.days == 400 and len(world.customers) == 300
    for kind in ev.KINDS:
        assert counts.get(kind), kind
    shared = [c for c in world.customers if c.owner is None]
    assert shared and all(len(c.relations) == 2 for c in shared)
    assert {c.owner for c in world.customers} == {None, *ev.COMPANIES}
    tickets = [e for e in world.events if e.kind == "ticket"]
    assert {e.data["channel"] for e in tickets} == {"portal", "email"}
    # some tickets breach the SLA, most do not
    breaching = [e for e in tickets if e.data["hours"] > ev.SLA_RESOLUTION_HOURS]
    assert 0 < len(breaching) < len(tickets) / 2
    # some payments are late
    late = [
        e
        for e in world.events
        if e.kind == "payment"
        and e.day > world.invoices[e.data["invoice"]].day + ev.PAYMENT_TERM_DAYS + 3
    ]
    assert late
    # the customers' history comes before the run: two orders at least for most
    assert world.history_days() and min(world.history_days()) < 0
    assert any(c.payment_day for c in world.customers)
    assert any(c.birthday for c in world.customers)


def test_events_come_in_day_and_time_order():
    world = small_world()
    keys = [e.sort_key() for e in world.events]
    assert keys == sorted(keys)
    for day in range(world.days):
        assert all(e.day == day for e in world.events_of(day))


def test_a_payment_or_credit_note_follows_its_invoice():
    world = small_world()
    for event in world.events:
        if event.kind in ("payment", "credit_note"):
            assert world.invoices[event.data["invoice"]].day < event.day
        if event.kind == "ticket_close":
            ticket = world.tickets[event.data["ticket"]]
            assert (ticket.day, ticket.at) < (event.day, event.at)


def test_order_days_keep_the_interval_and_pause_while_lost():
    relation = ev.Relation(
        company="north",
        interval_days=10,
        amount=100.0,
        first_day=-15,
        last_day=400,
        late_days=0,
        payment_day=0,
        statements=False,
        ticket_every_days=90,
        visit_delay_days=0,
        survey_answer=5,
        lost_day=40,
        won_back_day=63,
    )
    assert ev.order_days(relation, 100) == [-15, -5, 5, 15, 25, 35, 63, 73, 83, 93]
    relation.won_back_day = -1
    assert ev.order_days(relation, 100) == [-15, -5, 5, 15, 25, 35]


# ----------------------------------------------------------------------
# the invariants' arithmetic
# ----------------------------------------------------------------------
def test_expected_order_is_the_median_of_the_last_six_intervals():
    assert inv.expected_order([5]) is None
    assert inv.expected_order([0, 10, 20]) == 30
    # one late order does not move the rhythm
    assert inv.expected_order([0, 10, 20, 50, 60, 70]) == 80
    # only the last six intervals count
    assert inv.expected_order([0, 100, 110, 120, 130, 140, 150, 160]) == 170


def test_payday_past_the_end_of_a_month_is_its_last_day():
    assert inv.is_payday(31, date(2024, 2, 29))
    assert not inv.is_payday(31, date(2024, 2, 28))
    assert inv.is_payday(15, date(2024, 4, 15))
    assert not inv.is_payday(0, date(2024, 4, 15))


def test_rank_counts_follow_the_shares():
    grades = inv.GRADE_SETS["abc"]
    values = {customer: 1000.0 - customer for customer in range(100)}
    ranks = inv.rank_counts(values, grades, list(range(100)))
    counts = {code: list(ranks.values()).count(code) for code in "ABC"}
    assert counts == {"A": 5, "B": 15, "C": 80}
    assert ranks[0] == "A" and ranks[5] == "B" and ranks[20] == "C"
    # a customer without value is in the last grade, whatever its place
    ranks = inv.rank_counts({0: 10.0, 1: 0.0}, grades, list(range(20)))
    assert ranks[0] == "A" and set(list(ranks.values())[1:]) == {"C"}
    railway = inv.rank_counts(values, inv.GRADE_SETS["railway"], list(range(100)))
    assert [list(railway.values()).count(c) for c in "ABCD"] == [5, 15, 30, 50]


def test_health_arithmetic():
    assert inv.service_signal(0, 0) is None
    assert inv.service_signal(1, 0) == 80.0
    assert inv.service_signal(1, 100) == 80.0
    assert inv.service_signal(10, 100) == 0.0
    signals = dict.fromkeys(inv.SIGNALS)
    signals.update(service=20.0, payment=60.0)
    weights = dict.fromkeys(inv.SIGNALS, 1.0)
    weights["payment"] = 3.0
    assert inv.combine(signals, weights) == 50.0
    assert inv.combine(dict.fromkeys(inv.SIGNALS), weights) is None
    assert inv.health_status(39.9, 70, 40) == "at_risk"
    assert inv.health_status(40.0, 70, 40) == "watch"
    assert inv.health_status(70.0, 70, 40) == "healthy"


def tiny_world():
    """One customer of the first company: orders on days -20, -10, 0, 10,
    invoices due 30 days later, the second one paid on day 25 (late)."""
    customer = ev.Customer(0, "Sim Shipper 0000", "a@b.c", "north", None, 11)
    customer.relations["north"] = ev.Relation(
        "north", 10, 100.0, -20, 10, 0, 11, False, 90, 0, 5
    )
    events = [
        ev.Event(
            day,
            time(10),
            "invoice",
            "north",
            0,
            {"amount": 100.0 + day, "due_days": 30},
            ref=f"inv-{day}",
        )
        for day in (-20, -10, 0, 10)
    ]
    events.append(
        ev.Event(25, time(15), "payment", "north", 0, {"invoice": "inv--10"}, ref="pay")
    )
    return ev.World(5, 60, ev.START, [customer], events, 30, 40)


def test_ledger_knows_what_is_due_and_unpaid():
    ledger = inv.Ledger(tiny_world())
    key = ("north", 0)
    assert ledger.orders_before(key, 1) == [-20, -10, 0]
    # on day 10 (night), the invoice of day -20 is due and open
    assert ledger.due_unpaid(key, 10) == ["inv--20"]
    # on day 25 the one of day -10 is due too, and paid only later that day
    assert ledger.due_unpaid(key, 25) == ["inv--20", "inv--10"]
    assert ledger.due_unpaid(key, 26) == ["inv--20"]


def facts_for(world, day, **overrides):
    facts = {
        "day": day,
        "now": datetime.combine(world.date(day), time(0)),
        "company_calls": [
            (job, company, world.date(day))
            for company in ev.COMPANIES
            for job in ("visits", "planner", "reclaim")
        ],
        "daily_crons": [],
        "crons_run": set(),
        "recomputed": [],
        "activities": [],
        "open_activities": [],
        "accounts": {},
        "visits_before": {},
        "visits_after": {},
        "visits_other": {},
        "tickets": {},
        "surveys": [],
        "policies": {},
        "churn": {},
        "night": datetime.combine(world.date(day), time(0)),
        "night_stamps": [],
    }
    facts.update(overrides)
    return facts


def test_checker_catches_a_skipped_job_and_a_second_or_past_call():
    world = tiny_world()
    checker = inv.Checker(world, inv.EventLog())
    facts = facts_for(world, 2)
    facts["company_calls"] = facts["company_calls"][1:]
    checker.check_jobs(2, facts)
    assert checker.failure_counts["jobs_daily"] == 1
    assert "north's work 0 times" in checker.failures[0].message

    def call(expected):
        return {
            "kind": "proactive",
            "customer": 0,
            "company": "north",
            "user": 7,
            "summary": f"Next order expected on {expected:%m/%d/%Y}: call before",
            "note": None,
        }

    # orders on -20, -10, 0: the next one is expected on day 10
    expected = world.date(10)
    checker.check_planner_calls(7, facts_for(world, 7, activities=[call(expected)]))
    assert checker.checks["proactive_once"] == 1
    checker.check_planner_calls(8, facts_for(world, 8, activities=[call(expected)]))
    assert checker.failure_counts["proactive_once"] == 1
    # a call for an order expected before today
    checker.check_planner_calls(
        11, facts_for(world, 11, activities=[call(world.date(5))])
    )
    assert checker.failure_counts["proactive_not_past"] == 1


def test_checker_reads_calls_listed_in_a_digest():
    world = tiny_world()
    checker = inv.Checker(world, inv.EventLog())
    digest = {
        "kind": "digest",
        "customer": None,
        "company": "north",
        "user": 7,
        "summary": "2 more customers to contact today",
        "note": "<ul><li>Sim Shipper 0000: Next order expected on "
        f"{world.date(10):%m/%d/%Y}: call before the customer runs out</li>"
        "<li>Sim Shipper 0000: Payday: collect $ 90.00 on 1 due invoices</li></ul>",
    }
    calls = checker._night_calls(facts_for(world, 10, activities=[digest]))
    assert [(c[0], c[1], c[2]) for c in calls] == [
        ("north", 0, "proactive"),
        ("north", 0, "collection"),
    ]
    # day 10 is the customer's payday with the invoice of day -20 due
    checker.check_paydays(10, facts_for(world, 10), calls)
    assert checker.checks["payday_once"] == 1
    assert not checker.failure_counts["payday_once"]
    checker.check_paydays(11, facts_for(world, 11), calls)
    assert checker.failure_counts["payday_once"] == 1


def test_daily_limit_and_duplicates():
    world = tiny_world()
    checker = inv.Checker(world, inv.EventLog())
    activities = [
        {"kind": "proactive", "user": 7, "customer": 0, "company": "north"}
    ] * (ev.PLANNER_DAILY_LIMIT + 1)
    checker.check_daily_limit(3, facts_for(world, 3, activities=activities))
    assert checker.failure_counts["daily_limit"] == 1
    row = ("res.partner", 1, 2, 7, date(2024, 1, 3), "Call")
    checker.check_duplicates(3, facts_for(world, 3, open_activities=[row, row]))
    assert checker.failure_counts["no_duplicate_activities"] == 1


def test_an_overdue_visit_stays_overdue_until_done():
    world = tiny_world()
    checker = inv.Checker(world, inv.EventLog())
    before = {
        "company": "north",
        "customer": 0,
        "cadence": "regular",
        "due": world.date(3),
        "date": world.date(3),
        "state": "planned",
        "overdue_since": None,
    }
    account = {
        "tier": "A",
        "kam": 7,
        "health_date": world.date(5),
        "signals": dict(visits=66.7),
    }
    # moved to today by the scheduler, and still counted overdue
    moved = dict(before, due=world.date(5), date=world.date(5))
    kept = dict(moved, overdue_since=datetime(2024, 1, 4, 1))
    facts = facts_for(
        world,
        5,
        visits_before={1: before},
        visits_after={1: kept},
        accounts={("north", 0): account},
    )
    checker.check_visits(5, facts)
    assert not checker.failure_counts["visit_overdue_stays"]
    assert checker.checks["visit_overdue_stays"] == 2  # the visit and health
    # never visited: due now, the cadence holds
    assert checker.checks["visit_cadence"] == 1
    # moved and no longer counted: broken
    later = dict(moved, due=world.date(8), date=world.date(8))
    checker.check_visits(6, facts_for(world, 6, visits_after={1: later}, accounts={}))
    assert checker.failure_counts["visit_overdue_stays"] == 1
    # done: no longer overdue, and health must not count it
    log = inv.EventLog()
    log.record(
        6,
        "visit_done",
        2,
        company="north",
        customer=0,
        cadence="regular",
        date=world.date(6),
    )
    checker = inv.Checker(world, log)
    account = dict(account, health_date=world.date(7), signals=dict(visits=100.0))
    planned = dict(before, due=world.date(6), date=world.date(6))
    checker.check_visits(
        7,
        facts_for(
            world,
            7,
            visits_other={2: dict(planned, state="done")},
            accounts={("north", 0): account},
        ),
    )
    assert not checker.failure_counts["visit_overdue_stays"]


def test_churn_counts_lost_and_lapsed_once():
    world = tiny_world()
    checker = inv.Checker(world, inv.EventLog())
    # active at day 0: invoiced in the 12 months before; no loss in the quarter
    assert checker.churn_counts("north", world.date(0), world.date(50)) == (0, 1)
    # its last order is day 10: it lapses a year later
    lapse = world.date(10) + timedelta(days=366)  # 2024 is a leap year
    assert checker.churn_counts("north", lapse, lapse) == (1, 1)


def test_report_names_the_first_broken_invariant():
    world = tiny_world()
    checker = inv.Checker(world, inv.EventLog())
    checker.fail(9, "health_range", "late")
    checker.fail(4, "daily_limit", "early")
    lines, first = checker.report()
    assert first.day == 4 and first.invariant == "daily_limit"
    assert any("daily_limit" in line and "FAILED" in line for line in lines)


def test_nothing_goes_to_the_rep_who_left():
    world = tiny_world()
    log = inv.EventLog()
    log.record(3, "handover", "handover", user=7)
    checker = inv.Checker(world, log)
    activity = {"kind": "proactive", "user": 7, "customer": 0, "company": "north"}
    checker.check_handover(3, facts_for(world, 3, activities=[activity]))
    assert not checker.failure_counts["handover"]  # the night before it
    checker.check_handover(4, facts_for(world, 4, activities=[activity]))
    assert checker.failure_counts["handover"] == 1
    checker.check_handover(5, facts_for(world, 5))
    assert checker.checks["handover"] == 1


def test_the_night_stamps_are_the_nights():
    world = tiny_world()
    checker = inv.Checker(world, inv.EventLog())
    night = datetime(2024, 1, 5, 18)
    facts = facts_for(world, 5, night=night, now=night + timedelta(seconds=9))
    checker.check_clock(5, dict(facts, night_stamps=[night + timedelta(seconds=3)]))
    assert checker.checks["frozen_clock"] == 1
    checker.check_clock(5, dict(facts, night_stamps=[datetime(2026, 12, 6, 21)]))
    assert checker.failure_counts["frozen_clock"] == 1
