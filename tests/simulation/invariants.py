"""Invariants of the simulated year, computed from the event log: Odoo-free.

The expectations come from the world (events.py) and from what the driver did
(EventLog); what the database shows comes in as plain data (`facts`, see
driver.Observer). Nothing here reads a figure the addon computed to decide what
it should have computed. The grade sets, SLA and planner settings are the
simulation's own configuration (events.py), written down again here from the
README rather than read from the addon.
"""

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from dateutil.relativedelta import relativedelta

from . import events as ev

# code, share (%), visit interval (days), proactive calls, survey interval (months)
GRADE_SETS = {
    "abc": (
        ("A", 5.0, 30, True, 12),
        ("B", 15.0, 90, True, 12),
        ("C", None, 0, False, 0),
    ),
    "railway": (
        ("A", 5.0, 30, True, 12),
        ("B", 15.0, 60, True, 12),
        ("C", 30.0, 180, True, 0),
        ("D", None, 0, False, 0),
    ),
}
HEALTH_DAYS = 90
SIGNALS = ("trend", "service", "satisfaction", "visits", "payment", "survey")
# days an account due for a survey may wait (the daily limit spreads a burst)
SURVEY_GRACE_DAYS = 3
# failures kept per invariant (the count goes on)
KEEP_FAILURES = 5

# Invariants that fail because of a defect left to a later issue: reported in the
# summary with the reason, not counted as a failed run. Empty: all must hold.
KNOWN_EXCEPTIONS = {}

INVARIANTS = {
    "jobs_daily": "every daily job did its work exactly once per company per day",
    "jobs_monthly": "the monthly job ran once per company on each first of the month",
    "proactive_once": "one proactive call per expected order",
    "proactive_not_past": "no proactive call for an expected order already past",
    "proactive_due": "every expected order of a customer whose grade gets calls "
    "has its call",
    "payday_once": "one payday call per payday with invoices due, none on other days",
    "survey_cadence": "one survey per cadence of the customer's grade",
    "no_duplicate_activities": "no duplicate open activities",
    "daily_limit": "no user over the daily limit of planner activities",
    "grade_counts": "grade counts match the shares (and each customer its rank)",
    "breach_kept": "a breached ticket stays breached, closed or not",
    "breach_counted": "every breach is still counted in health after closing",
    "health_range": "health and its signals in 0..100",
    "health_status": "health status (at risk) as its signals say",
    "health_survey": "the survey signal is the customer's last answer",
    "churn_quarter": "the churn rate of each quarter equals the event log's",
    "visit_cadence": "visits follow the cadence of the grade the customer had that day",
    "visit_overdue_stays": "a visit once overdue stays overdue until done or cancelled",
    "handover": "after the handover nothing is planned for the rep who left",
    "frozen_clock": "what the night's jobs write carries the night's time",
    "pool_warned": "a customer the reclaim returned was warned (an activity to its "
    "owner) at least the warning days before",
    "pool_released": "a returned customer has no owner, nor its former owner's open "
    "activities or planned visits",
    "pool_exempt": "protected customers and key-account grades never return",
    "pool_blocked": "the former owner never claims a returned customer back early",
    "pool_limits": "no claim past the daily or the owned limit; a refused claim is "
    "a limit or a block, and claimed nothing",
}
# the default reclaim rule (the simulation keeps it): 90 days without a
# follow-up, the owner warned 7 days before, then waits 30 days
RECLAIM_WARN_DAYS = 7
RECLAIM_BLOCK_DAYS = 30
RECLAIM_REASONS = ("unattended", "not_won")

PROACTIVE_RE = re.compile(r"Next order expected on (\d\d)/(\d\d)/(\d{4})")
PAYDAY_RE = re.compile(r"^Payday: collect")
DIGEST_LINE_RE = re.compile(r"<li>(.*?): (.*?)</li>", re.S)
CUSTOMER_RE = re.compile(r"Sim Shipper (\d{4})")


@dataclass
class Failure:
    day: int
    when: date
    invariant: str
    message: str

    def __str__(self):
        return f"day {self.day} ({self.when}): {self.invariant}: {self.message}"


class EventLog:
    """What the driver did, day by day (the world says what it meant to do)."""

    def __init__(self):
        self.entries = []
        self.by_kind = defaultdict(list)

    def record(self, day, kind, ref, **data):
        entry = (day, kind, ref, data)
        self.entries.append(entry)
        self.by_kind[kind].append(entry)

    def counts(self):
        return Counter(kind for _day, kind, _ref, _data in self.entries)


# ----------------------------------------------------------------------
# the event log's own arithmetic (no Odoo, no addon code)
# ----------------------------------------------------------------------
def expected_order(order_days):
    """Expected next order day: the last order plus the median of the last six
    intervals between distinct order days; None with fewer than two."""
    days = sorted(set(order_days))
    if len(days) < 2:
        return None
    gaps = [b - a for a, b in zip(days, days[1:], strict=False)][-6:]
    return days[-1] + round(median(gaps))


def is_payday(payment_day, when):
    if not payment_day:
        return False
    last = (when.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return when.day == min(payment_day, last.day)


def rank_counts(values, grades, population):
    """{customer: code} by share of customers: the top share% of the population
    ranked by value in the first grade, and so on; nothing positive: last."""
    limits = []
    for _code, share, *_rest in grades[:-1]:
        limits.append((limits[-1] if limits else 0.0) + share)
    last = grades[-1][0]
    ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
    result = dict.fromkeys(population, last)
    for position, (customer, value) in enumerate(ordered, start=1):
        if value <= 0:
            continue
        share = position * 100.0 / len(population)
        for limit, grade in zip(limits, grades, strict=False):
            if share <= limit + 1e-9:
                result[customer] = grade[0]
                break
    return result


def linear(value, best, worst):
    share = (value - worst) / (best - worst)
    return round(max(0.0, min(1.0, share)) * 100.0, 1)


def service_signal(issues, shipments):
    """The service signal as the README defines it: breaches and complaints of
    the last 90 days per 100 shipments (per ticket without shipments)."""
    if not shipments:
        return None if not issues else linear(issues, 0, 5)
    return linear(issues * 100.0 / shipments, 0, 5)


def combine(signals, weights):
    known = {name: score for name, score in signals.items() if score is not None}
    total = sum(weights.get(name, 0) for name in known)
    if total <= 0:
        return None
    return round(sum(weights.get(n, 0) * s for n, s in known.items()) / total, 1)


# what the customer did or said: "no visit overdue" alone tells nothing of it
CUSTOMER_SIGNALS = ("trend", "service", "satisfaction", "payment", "survey")


def assessed(signals, weights, value):
    """The score of a customer something is known of (revenue in the window or
    a customer signal); None for one nothing is known of."""
    if not value and all(signals.get(name) is None for name in CUSTOMER_SIGNALS):
        return None
    return combine(signals, weights)


def health_status(score, watch_below, at_risk_below):
    if score is None:
        return "no_data"
    if score < at_risk_below:
        return "at_risk"
    if score < watch_below:
        return "watch"
    return "healthy"


def lapse_date(last):
    """The first day on which the lapsed months since `last` are complete
    (31 January + 1 month: 1 March, not 28 February)."""
    months = relativedelta(months=ev.LAPSED_MONTHS)
    day = last + months
    while day - months < last:
        day += timedelta(days=1)
    return day


def quarter_start(when):
    return when.replace(month=(when.month - 1) // 3 * 3 + 1, day=1)


def parse_date(match):
    month, day, year = (int(x) for x in match.groups())
    return date(year, month, day)


class Ledger:
    """Per company and customer: orders, invoices, payments, credit notes,
    statements, tickets, as the event log has them."""

    def __init__(self, world):
        self.world = world
        self.orders = defaultdict(list)  # (company, customer) -> invoice days
        self.invoices = defaultdict(list)  # (company, customer) -> [event]
        self.amounts = defaultdict(list)  # (company, customer) -> [(day, amount)]
        self.volumes = defaultdict(list)  # (company, customer) -> [event]
        self.tickets = defaultdict(list)
        self.paid = {}  # invoice ref -> day
        self.credited = {}  # invoice ref -> day
        for event in world.events:
            key = (event.company, event.customer)
            if event.kind == "invoice":
                self.orders[key].append(event.day)
                self.invoices[key].append(event)
                self.amounts[key].append((event.day, event.data["amount"]))
            elif event.kind == "payment":
                self.paid[event.data["invoice"]] = event.day
            elif event.kind == "credit_note":
                self.credited[event.data["invoice"]] = event.day
                invoice = world.invoices[event.data["invoice"]]
                self.amounts[key].append((event.day, -invoice.data["amount"]))
            elif event.kind == "volume":
                self.volumes[key].append(event)
            elif event.kind == "ticket":
                self.tickets[key].append(event)
        self.relations = [
            (company, customer.index, relation)
            for customer in world.customers
            for company, relation in customer.relations.items()
        ]

    def orders_before(self, key, day):
        return [d for d in self.orders.get(key, ()) if d < day]

    def due_unpaid(self, key, day):
        """Invoices due by `day` still open at the start of `day`."""
        result = []
        for invoice in self.invoices.get(key, ()):
            if invoice.day >= day:
                continue
            due = invoice.day + invoice.data["due_days"]
            settled = min(
                self.paid.get(invoice.ref, 10**9), self.credited.get(invoice.ref, 10**9)
            )
            if due <= day and settled >= day:
                result.append(invoice.ref)
        return result

    def business_days(self, key, day):
        """Days of business (invoices, statements' months) before `day`."""
        days = self.orders_before(key, day)
        days += [
            self.world.day_of(e.data["month"])
            for e in self.volumes.get(key, ())
            if e.day < day
        ]
        return days

    def is_lost(self, relation, day):
        return (
            relation.lost_day >= 0
            and relation.lost_day <= day
            and not (0 <= relation.won_back_day <= day)
        )

    def lapse_day(self, key, relation):
        """The day the customer lapsed (no business for the lapsed months), or
        None; a customer lost and never back counts as lost, not lapsed."""
        days = self.business_days(key, 10**9)
        if not days:
            return None
        if relation.lost_day >= 0 and relation.won_back_day < 0:
            return None
        return self.world.day_of(lapse_date(self.world.date(max(days))))


class Checker:
    def __init__(self, world, log):
        self.world = world
        self.log = log
        self.ledger = Ledger(world)
        self.failures = []
        self.failure_counts = Counter()
        self.checks = Counter()
        self.calls = defaultdict(list)  # (company, customer, expected day) -> nights
        self.overdue = {}  # visit id -> (company, customer, planned date)
        self.churn_seen = []  # (company, quarter start, lost, active)
        self.survey_due_since = {}
        self.tiers = {}  # (company, customer) -> tier after the last night
        self.pool_warned = {}  # (company, customer) -> (day, user) of the warning
        self.pool_blocked = {}  # (company, customer) -> (former owner, until day)
        self.pool_protected = set()  # (company, customer) protected by the log
        self.pool_claimed = Counter()  # (company, user, day) -> accounts claimed
        self.pool_seen = 0  # pool entries of the log checked
        self.pool_returned = 0
        self.pool_refusals = Counter()  # why claims were refused: daily/owned/blocked

    # ------------------------------------------------------------------
    def fail(self, day, invariant, message):
        self.failure_counts[invariant] += 1
        if self.failure_counts[invariant] <= KEEP_FAILURES:
            self.failures.append(Failure(day, self.world.date(day), invariant, message))

    def ok(self, invariant, count=1):
        self.checks[invariant] += count

    def template(self, company, day):
        """The grade set of the company on night `day`."""
        change_company, template = ev.GRADE_CHANGE
        if company == change_company and day > self.world.grade_change_day:
            return GRADE_SETS[template]
        return GRADE_SETS["abc"]

    def grade(self, company, day, code):
        for row in self.template(company, day):
            if row[0] == code:
                return row
        return None

    def name(self, company, customer):
        return f"{company}/{self.world.customers[customer].name}"

    # ------------------------------------------------------------------
    def check_night(self, facts):
        day = facts["day"]
        self.check_jobs(day, facts)
        calls = self.check_planner_calls(day, facts)
        self.check_paydays(day, facts, calls)
        self.check_duplicates(day, facts)
        self.check_daily_limit(day, facts)
        self.check_grades(day, facts)
        self.check_breaches(day, facts)
        self.check_health(day, facts)
        self.check_churn(day, facts)
        self.check_visits(day, facts)
        self.check_surveys(day, facts)
        self.check_handover(day, facts)
        self.check_clock(day, facts)
        self.check_pool(day, facts)
        self.tiers = {key: row["tier"] for key, row in facts["accounts"].items()}

    # ------------------------------------------------------------------
    def check_jobs(self, day, facts):
        today = self.world.date(day)
        calls = Counter(facts["company_calls"])
        for company in ev.COMPANIES:
            for job in ("visits", "planner", "reclaim"):
                count = calls[job, company, today]
                if count != 1:
                    self.fail(
                        day,
                        "jobs_daily",
                        f"the {job} job did {company}'s work {count} times tonight",
                    )
                else:
                    self.ok("jobs_daily")
            count = calls["recompute", company, today]
            wanted = 1 if today.day == 1 else 0
            if count != wanted:
                self.fail(
                    day,
                    "jobs_monthly",
                    f"the monthly recompute did {company}'s work {count} times "
                    f"tonight ({wanted} wanted)",
                )
            else:
                self.ok("jobs_monthly")
        stray = [c for c in calls if c[2] != today]
        if stray:
            self.fail(day, "jobs_daily", f"a job ran for another day: {stray[:3]}")
        for xmlid in facts["daily_crons"]:
            if xmlid not in facts["crons_run"]:
                self.fail(day, "jobs_daily", f"{xmlid} did not run tonight")
            else:
                self.ok("jobs_daily")

    # ------------------------------------------------------------------
    def _night_calls(self, facts):
        """[(company, customer, kind, summary)] of tonight's planner calls, as
        activities or as lines of a digest."""
        result = []
        for activity in facts["activities"]:
            kind = activity["kind"]
            if kind == "digest":
                note = activity["note"] or ""
                for name, summary in DIGEST_LINE_RE.findall(note):
                    found = CUSTOMER_RE.search(html.unescape(name))
                    customer = int(found.group(1)) if found else None
                    summary = html.unescape(summary)
                    if PROACTIVE_RE.search(summary):
                        line_kind = "proactive"
                    elif PAYDAY_RE.search(summary):
                        line_kind = "collection"
                    else:
                        line_kind = "other"
                    result.append((activity["company"], customer, line_kind, summary))
            elif activity["customer"] is not None:
                result.append(
                    (
                        activity["company"],
                        activity["customer"],
                        kind,
                        activity["summary"] or "",
                    )
                )
        return result

    def check_planner_calls(self, day, facts):
        calls = self._night_calls(facts)
        for company, customer, kind, summary in calls:
            if kind != "proactive":
                continue
            match = PROACTIVE_RE.search(summary)
            if not match:
                self.fail(day, "proactive_once", f"unreadable call {summary!r}")
                continue
            expected_day = self.world.day_of(parse_date(match))
            key = (company, customer)
            wanted = expected_order(self.ledger.orders_before(key, day))
            previous = list(self.calls[company, customer, expected_day])
            self.calls[company, customer, expected_day].append(day)
            if previous:
                self.fail(
                    day,
                    "proactive_once",
                    f"{self.name(*key)}: a second call for the order expected on "
                    f"{self.world.date(expected_day)} (first on night "
                    f"{self.world.date(previous[0])})",
                )
            elif wanted != expected_day:
                self.fail(
                    day,
                    "proactive_once",
                    f"{self.name(*key)}: a call for an order expected on "
                    f"{self.world.date(expected_day)}; the event log expects "
                    f"{wanted is not None and self.world.date(wanted)}",
                )
            else:
                self.ok("proactive_once")
            if expected_day < day:
                self.fail(
                    day,
                    "proactive_not_past",
                    f"{self.name(*key)}: a call tonight for the order expected on "
                    f"{self.world.date(expected_day)}, already past",
                )
            else:
                self.ok("proactive_not_past")
        # every expected order due for its call has one by tonight
        for company, customer, relation in self.ledger.relations:
            key = (company, customer)
            wanted = expected_order(self.ledger.orders_before(key, day))
            if wanted is None or not (
                wanted - ev.PROACTIVE_NOTICE_DAYS <= day <= wanted
            ):
                continue
            if self.ledger.is_lost(relation, day):
                continue
            account = facts["accounts"].get(key)
            tier = account and account["tier"]
            grade = self.grade(company, day, tier) if tier else None
            if tier and not (grade and grade[3]):
                continue
            if self.calls.get((company, customer, wanted)):
                self.ok("proactive_due")
            else:
                self.fail(
                    day,
                    "proactive_due",
                    f"{self.name(*key)} (grade {tier or 'none'}): no call for the "
                    f"order expected on {self.world.date(wanted)}",
                )
        return calls

    def check_paydays(self, day, facts, calls):
        today = self.world.date(day)
        counts = Counter(
            (company, customer)
            for company, customer, kind, _summary in calls
            if kind == "collection"
        )
        for company, customer, _relation in self.ledger.relations:
            payment_day = self.world.customers[customer].payment_day
            key = (company, customer)
            due = is_payday(payment_day, today) and self.ledger.due_unpaid(key, day)
            wanted = 1 if due else 0
            if counts[key] != wanted:
                self.fail(
                    day,
                    "payday_once",
                    f"{self.name(*key)}: {counts[key]} payday calls tonight, "
                    f"{wanted} wanted (payday {payment_day}, due unpaid: "
                    f"{len(due or [])})",
                )
            else:
                self.ok("payday_once")

    def check_duplicates(self, day, facts):
        seen = Counter(facts["open_activities"])
        duplicates = [key for key, count in seen.items() if count > 1]
        if duplicates:
            self.fail(
                day,
                "no_duplicate_activities",
                f"{len(duplicates)} duplicated open activities, e.g. {duplicates[0]}",
            )
        else:
            self.ok("no_duplicate_activities")

    def check_daily_limit(self, day, facts):
        per_user = Counter(
            activity["user"]
            for activity in facts["activities"]
            if activity["kind"] in ("proactive", "reengage", "birthday")
        )
        for user, count in per_user.items():
            if count > ev.PLANNER_DAILY_LIMIT:
                self.fail(
                    day,
                    "daily_limit",
                    f"user {user} got {count} planner activities tonight "
                    f"(limit {ev.PLANNER_DAILY_LIMIT})",
                )
            else:
                self.ok("daily_limit")

    # ------------------------------------------------------------------
    def scope(self, company, day):
        """Customers of the company on night `day`: with business here, its own,
        or shared and doing business with no other company."""
        result = []
        for customer in self.world.customers:
            here = self.ledger.business_days((company, customer.index), day)
            elsewhere = any(
                self.ledger.business_days((other, customer.index), day)
                for other in ev.COMPANIES
                if other != company
            )
            if (
                here
                or customer.owner == company
                or (customer.owner is None and not elsewhere)
            ):
                result.append(customer.index)
        return result

    def check_grades(self, day, facts):
        today = self.world.date(day)
        date_from = self.world.day_of(today - relativedelta(months=12)) + 1
        for company in facts["recomputed"]:
            population = self.scope(company, day)
            values = {}
            for customer in population:
                amounts = self.ledger.amounts.get((company, customer), ())
                values[customer] = round(
                    sum(a for d, a in amounts if date_from <= d < day), 2
                )
            grades = self.template(company, day)
            wanted = rank_counts(values, grades, population)
            got = {
                customer: (facts["accounts"].get((company, customer)) or {}).get("tier")
                for customer in population
            }
            wanted_counts = Counter(wanted.values())
            got_counts = Counter(got.values())
            if wanted_counts != got_counts:
                self.fail(
                    day,
                    "grade_counts",
                    f"{company}: grades {dict(sorted(got_counts.items(), key=str))}"
                    f", the shares give {dict(sorted(wanted_counts.items()))} of "
                    f"{len(population)} customers",
                )
                continue
            wrong = [c for c in population if got[c] != wanted[c]]
            if wrong:
                customer = wrong[0]
                self.fail(
                    day,
                    "grade_counts",
                    f"{self.name(company, customer)} is {got[customer]}, its value "
                    f"{values[customer]} ranks it {wanted[customer]} "
                    f"({len(wrong)} such)",
                )
            else:
                self.ok("grade_counts")

    # ------------------------------------------------------------------
    def ticket_breach(self, event):
        """UTC moment of the ticket's breach, or None when solved in time."""
        if event.data["hours"] <= ev.SLA_RESOLUTION_HOURS:
            return None
        return utc(self.world.date(event.day), event.at) + timedelta(
            hours=ev.SLA_RESOLUTION_HOURS
        )

    def check_breaches(self, day, facts):
        now = facts["now"]
        for ref, ticket in facts["tickets"].items():
            event = self.world.tickets[ref]
            breach = self.ticket_breach(event)
            if breach is None or breach >= now:
                continue
            if not ticket["breached"] or not ticket["breach_date"]:
                self.fail(
                    day,
                    "breach_kept",
                    f"ticket {ref} breached its SLA on {breach}; it shows breached "
                    f"{ticket['breached']}, breach moment {ticket['breach_date']} "
                    f"({'closed' if ticket['closed'] else 'open'})",
                )
            else:
                self.ok("breach_kept")

    def check_health(self, day, facts):
        today = self.world.date(day)
        since = today - timedelta(days=HEALTH_DAYS)
        since_moment = datetime.combine(since, time.min)
        end = datetime.combine(today, time.max)
        for (company, customer), account in facts["accounts"].items():
            if account["health_date"] != today:
                continue
            policy = facts["policies"][company]
            score = account["health_score"]
            signals = account["signals"]
            values = [score, *signals.values()]
            if any(v is not None and not 0 <= v <= 100 for v in values):
                self.fail(
                    day,
                    "health_range",
                    f"{self.name(company, customer)}: health {score}, signals "
                    f"{signals}",
                )
                continue
            self.ok("health_range")
            combined = assessed(signals, policy["weights"], account["value"])
            status = health_status(
                combined, policy["watch_below"], policy["at_risk_below"]
            )
            if (combined is None) != (score is None) or (
                score is not None and abs(combined - score) > 0.11
            ):
                self.fail(
                    day,
                    "health_status",
                    f"{self.name(company, customer)}: health {score}, its signals "
                    f"{signals} make {combined}",
                )
            elif account["health_status"] != status:
                self.fail(
                    day,
                    "health_status",
                    f"{self.name(company, customer)}: status "
                    f"{account['health_status']} at {score}, its signals say {status}",
                )
            else:
                self.ok("health_status")
            self.check_survey_signal(day, company, customer, signals["survey"])
            # breaches and complaints of the last 90 days, from the event log
            key = (company, customer)
            breaches = complaints = 0
            for event in self.ledger.tickets.get(key, ()):
                if event.day >= day:
                    continue
                breach = self.ticket_breach(event)
                if breach and since_moment <= breach <= min(end, facts["now"]):
                    breaches += 1
                created = utc(self.world.date(event.day), event.at)
                if event.data["complaint"] and created >= since_moment:
                    complaints += 1
            if not breaches:
                continue
            shipments = sum(
                e.data["shipments"]
                for e in self.ledger.volumes.get(key, ())
                if e.day < day and e.data["month"] >= since
            )
            ceiling = service_signal(breaches + complaints, shipments)
            got = signals["service"]
            if got is None or got > ceiling + 0.05:
                self.fail(
                    day,
                    "breach_counted",
                    f"{self.name(company, customer)}: {breaches} SLA breaches and "
                    f"{complaints} complaints in 90 days on {shipments} shipments "
                    f"give a service signal of {ceiling} at most; health shows {got}",
                )
            else:
                self.ok("breach_counted")

    def check_survey_signal(self, day, company, customer, got):
        """The last answer of the last two years: would-recommend 0-10 and the
        1-5 service quality, each scaled to 0-100, averaged."""
        since = day - 730
        answers = [
            data
            for answer_day, _kind, _ref, data in self.log.by_kind["survey_answer"]
            if since <= answer_day < day
            and (data["company"], data["customer"]) == (company, customer)
        ]
        wanted = None
        if answers:
            last = answers[-1]
            wanted = round(
                (linear(last["recommend"], 10, 0) + linear(last["quality"], 5, 1)) / 2,
                1,
            )
        if (wanted is None) != (got is None) or (
            wanted is not None and abs(wanted - got) > 0.05
        ):
            self.fail(
                day,
                "health_survey",
                f"{self.name(company, customer)}: survey signal {got}, the last "
                f"answer gives {wanted}",
            )
        else:
            self.ok("health_survey")

    # ------------------------------------------------------------------
    def churn_counts(self, company, date_from, date_to):
        """(lost or lapsed in the period, active at its start), from the log."""
        start = self.world.day_of(date_from)
        end = self.world.day_of(date_to)
        year_before = self.world.day_of(date_from - relativedelta(months=12))
        active = lost = 0
        for relation_company, customer, relation in self.ledger.relations:
            if relation_company != company:
                continue
            key = (company, customer)
            business = self.ledger.business_days(key, start)
            if any(year_before <= d < start for d in business) and not (
                self.ledger.is_lost(relation, start - 1)
            ):
                active += 1
            if relation.lost_day >= 0 and start <= relation.lost_day <= end:
                lost += 1
            lapse = self.ledger.lapse_day(key, relation)
            if lapse is not None and start <= lapse <= end:
                lost += 1
        return lost, active

    def check_churn(self, day, facts):
        for (company, date_from, date_to), (got_lost, got_active) in facts[
            "churn"
        ].items():
            lost, active = self.churn_counts(company, date_from, date_to)
            self.churn_seen.append((company, date_from, lost, active))
            rate = lost / active if active else 0.0
            got = got_lost / got_active if got_active else 0.0
            if abs(rate - got) > 1e-9:
                self.fail(
                    day,
                    "churn_quarter",
                    f"{company} {date_from}..{date_to}: churn rate {got:.4f} "
                    f"({got_lost} of {got_active}); the event log has {rate:.4f} "
                    f"({lost} lost or lapsed of {active} active)",
                )
            else:
                self.ok("churn_quarter")

    # ------------------------------------------------------------------
    def check_visits(self, day, facts):
        """The cadence of each planned visit, and the overdue ones: a visit seen
        planned past its date stays counted as overdue (by the visit and by
        health) until the log says it was done, or it is cancelled."""
        today = self.world.date(day)
        done = defaultdict(list)
        done_ids = set()
        for _day, _kind, visit_id, data in self.log.by_kind["visit_done"]:
            done_ids.add(visit_id)
            if _day < day:
                done[data["company"], data["customer"], data["cadence"]].append(
                    data["date"]
                )
        for visit in facts["visits_after"].values():
            if visit["cadence"] != "regular":
                continue
            key = (visit["company"], visit["customer"], visit["cadence"])
            account = facts["accounts"].get(key[:2]) or {}
            grade = self.grade(visit["company"], day, account.get("tier"))
            if not grade or not grade[2]:
                self.fail(
                    day,
                    "visit_cadence",
                    f"{self.name(*key[:2])}: a planned visit on {visit['due']} "
                    f"while grade {account.get('tier')} has no visits",
                )
                continue
            if done[key]:
                wanted = max(done[key]) + timedelta(days=grade[2])
                good = visit["due"] == wanted
            else:
                # never visited: due now
                wanted = today
                good = visit["due"] <= today
            if not good:
                self.fail(
                    day,
                    "visit_cadence",
                    f"{self.name(*key[:2])} (grade {account.get('tier')}, every "
                    f"{grade[2]} days): visit due {visit['due']}, the cadence says "
                    f"{wanted}" + ("" if done[key] else " (never visited: due now)"),
                )
            else:
                self.ok("visit_cadence")
        self.check_overdue_visits(day, facts, done_ids)

    def check_overdue_visits(self, day, facts, done_ids):
        today = self.world.date(day)
        # visits seen overdue: before tonight's run, or after it
        for source in ("visits_before", "visits_after", "visits_other"):
            for visit_id, visit in facts[source].items():
                if (
                    visit["state"] == "planned"
                    and visit["date"] < today
                    and visit_id not in done_ids
                ):
                    self.overdue.setdefault(
                        visit_id, (visit["company"], visit["customer"], visit["date"])
                    )
        current = {**facts["visits_other"], **facts["visits_after"]}
        per_customer = Counter()
        for visit_id, (company, customer, since) in list(self.overdue.items()):
            visit = current.get(visit_id)
            if visit_id in done_ids or (visit and visit["state"] == "cancelled"):
                del self.overdue[visit_id]
                continue
            per_customer[company, customer] += 1
            if (
                visit
                and visit["state"] == "planned"
                and (visit["overdue_since"] or visit["date"] < today)
            ):
                self.ok("visit_overdue_stays")
                continue
            self.fail(
                day,
                "visit_overdue_stays",
                f"{self.name(company, customer)}: the visit planned on {since}, "
                "overdue, "
                + (
                    f"is no longer counted overdue (now on {visit['date']}, "
                    f"{visit['state']})"
                    if visit
                    else "was deleted"
                ),
            )
            del self.overdue[visit_id]
        # health counts them: its visits signal is 100 without overdue visits, 0
        # with three or more
        for (company, customer), account in facts["accounts"].items():
            if account.get("health_date") != today or account["tier"] is None:
                continue
            overdue = per_customer[company, customer]
            wanted = linear(overdue, 0, 3)
            got = account["signals"]["visits"]
            if got != wanted:
                self.fail(
                    day,
                    "visit_overdue_stays",
                    f"{self.name(company, customer)}: {overdue} overdue visits, "
                    f"health's visits signal is {got} ({wanted} wanted)",
                )
            else:
                self.ok("visit_overdue_stays")

    # ------------------------------------------------------------------
    def check_surveys(self, day, facts):
        today = self.world.date(day)
        sent = defaultdict(list)
        for company, customer, sent_date, tier in facts["surveys"]:
            sent[company, customer].append((sent_date, tier))
        for key, rows in sent.items():
            rows.sort()
            for (first, _t1), (second, tier) in zip(rows, rows[1:], strict=False):
                grade = self.grade(key[0], self.world.day_of(second), tier)
                months = grade[4] if grade else 0
                if months and second < first + relativedelta(months=months):
                    self.fail(
                        day,
                        "survey_cadence",
                        f"{self.name(*key)}: surveys on {first} and {second}, "
                        f"closer than the {months} months of grade {tier}",
                    )
                    break
        for (company, customer), account in facts["accounts"].items():
            key = (company, customer)
            grade = self.grade(company, day, account["tier"])
            relation = self.world.customers[customer].relations.get(company)
            months = grade[4] if grade else 0
            lapse = relation and self.ledger.lapse_day(key, relation)
            if (
                not months
                or relation is None
                or self.ledger.is_lost(relation, day)
                or (lapse is not None and lapse <= day)
            ):
                self.survey_due_since.pop(key, None)
                continue
            recent = [
                d
                for d, _tier in sent.get(key, ())
                if d > today - relativedelta(months=months)
            ]
            if recent:
                self.survey_due_since.pop(key, None)
                self.ok("survey_cadence")
                continue
            since = self.survey_due_since.setdefault(key, day)
            if day - since >= SURVEY_GRACE_DAYS:
                self.fail(
                    day,
                    "survey_cadence",
                    f"{self.name(*key)} (grade {account['tier']}, a survey every "
                    f"{months} months) due since {self.world.date(since)}, none sent"
                    + (
                        ""
                        if facts["policies"][company]["survey"]
                        else " (the company's policy has no relationship survey)"
                    ),
                )
                self.survey_due_since[key] = day + 30  # once a month per account

    # ------------------------------------------------------------------
    def check_handover(self, day, facts):
        left = [
            data["user"]
            for handover_day, _kind, _ref, data in self.log.by_kind["handover"]
            if handover_day < day
        ]
        for user in left:
            found = [
                f"a {a['kind']} activity"
                for a in facts["activities"]
                if a["user"] == user
            ]
            found += [
                f"an account ({self.name(*key)})"
                for key, account in facts["accounts"].items()
                if account["kam"] == user
            ]
            found += [
                f"a planned visit of {self.name(v['company'], v['customer'])}"
                for v in facts["visits_after"].values()
                if v.get("user") == user
            ]
            if found:
                self.fail(
                    day,
                    "handover",
                    f"user {user} left and still got " + ", ".join(found[:3]),
                )
            else:
                self.ok("handover")

    def check_clock(self, day, facts):
        """Records the night's jobs created carry the night's moment."""
        night = facts["night"]
        stamps = facts["night_stamps"]
        if not stamps:
            return
        early, late = min(stamps), max(stamps)
        if early < night or late > facts["now"]:
            self.fail(
                day,
                "frozen_clock",
                f"records of the night stamped {early}..{late}, the night ran "
                f"{night}..{facts['now']}",
            )
        else:
            self.ok("frozen_clock")

    # ------------------------------------------------------------------
    def check_pool(self, day, facts):
        """The customer pool: the claims of the days before (from the log),
        then tonight's warnings and returns (from the database)."""
        entries = [
            e
            for e in self.log.entries[self.pool_seen :]
            if e[1] in ("pool_claim", "pool_refused", "pool_protect")
        ]
        self.pool_seen = len(self.log.entries)
        self.check_pool_claims(entries)
        self.check_pool_returns(day, facts)

    def check_pool_claims(self, entries):
        for claim_day, kind, _ref, data in entries:
            company = data["company"]
            if kind == "pool_protect":
                self.pool_protected.add((company, data["customer"]))
                continue
            user, customers = data["user"], data["customers"]
            claimed = self.pool_claimed[company, user, claim_day]
            blocked = [
                c
                for c in customers
                if self.pool_blocked.get((company, c), (None, -1))[0] == user
                and claim_day < self.pool_blocked[company, c][1]
            ]
            over_daily = claimed + len(customers) > ev.POOL_DAILY_LIMIT
            over_owned = data["owned_before"] + len(customers) > ev.POOL_OWNED_LIMIT
            if kind == "pool_claim":
                self.pool_claimed[company, user, claim_day] += len(customers)
                for customer in customers:
                    self.pool_warned.pop((company, customer), None)
                if blocked:
                    self.fail(
                        claim_day,
                        "pool_blocked",
                        f"user {user} claimed {self.name(company, blocked[0])} back "
                        f"before day {self.pool_blocked[company, blocked[0]][1]}",
                    )
                else:
                    self.ok("pool_blocked")
                if over_daily or over_owned:
                    self.fail(
                        claim_day,
                        "pool_limits",
                        f"user {user} claimed {len(customers)} in {company} with "
                        f"{claimed} claimed today and {data['owned_before']} owned",
                    )
                else:
                    self.ok("pool_limits")
            elif data["half_claimed"] or not (blocked or over_daily or over_owned):
                self.fail(
                    claim_day,
                    "pool_limits",
                    f"user {user}'s claim of {len(customers)} in {company} refused "
                    f"({data['error']}) with {claimed} claimed today, "
                    f"{data['owned_before']} owned, {data['half_claimed']} taken",
                )
            else:
                self.ok("pool_limits")
                self.pool_refusals.update(
                    reason
                    for reason, why in (
                        ("blocked", blocked),
                        ("daily", over_daily),
                        ("owned", over_owned),
                    )
                    if why
                )
                if blocked:
                    self.ok("pool_blocked")

    def check_pool_returns(self, day, facts):
        for customer, user in facts["pool_warnings"]:
            for company in ev.COMPANIES:
                row = facts["pool_accounts"].get((company, customer))
                if row and row["owner"] == user:
                    self.pool_warned[company, customer] = (day, user)
        accounts = facts["pool_accounts"]
        for company, customer, former in facts["pool_returns"]:
            key = (company, customer)
            row = accounts[key]
            if row["owner"] is None and row["reason"] not in RECLAIM_REASONS:
                self.pool_warned.pop(key, None)
                continue  # released during the night (a manager left), not reclaimed
            if row["reason"] not in RECLAIM_REASONS:
                continue
            self.pool_returned += 1
            warned = self.pool_warned.pop(key, None)
            if not warned or warned[1] != former or warned[0] > day - RECLAIM_WARN_DAYS:
                self.fail(
                    day,
                    "pool_warned",
                    f"{self.name(company, customer)} returned from user {former}, "
                    f"warned: {warned}",
                )
            else:
                self.ok("pool_warned")
            left = [
                v
                for v in facts["visits_after"].values()
                if (v["company"], v["customer"]) == key
            ]
            if (
                row["owner"] is not None
                or (customer, former) in facts["pool_open_activities"]
                or left
            ):
                self.fail(
                    day,
                    "pool_released",
                    f"{self.name(company, customer)} returned: owner {row['owner']}, "
                    f"{len(left)} planned visits left",
                )
            else:
                self.ok("pool_released")
            if (
                key in self.pool_protected
                or row["protected"]
                or row["tier"] in facts["key_grades"][company]
            ):
                self.fail(
                    day,
                    "pool_exempt",
                    f"{self.name(company, customer)} (grade {row['tier']}, "
                    f"protected {row['protected']}) returned to the pool",
                )
            else:
                self.ok("pool_exempt")
            self.pool_blocked[key] = (former, day + RECLAIM_BLOCK_DAYS)
        # the protected and key-account customers still owned stay so
        for key in self.pool_protected:
            if accounts.get(key, {}).get("reason") in RECLAIM_REASONS and (
                accounts[key]["owner"] is None
            ):
                self.fail(day, "pool_exempt", f"{key} protected, in the pool")
                break
        else:
            self.ok("pool_exempt")

    # ------------------------------------------------------------------
    def report(self):
        """(lines of the summary, the first broken invariant or None)."""
        failing = {
            name: count
            for name, count in self.failure_counts.items()
            if name not in KNOWN_EXCEPTIONS
        }
        lines = []
        if self.churn_seen:
            lines.append(
                "  churn per quarter (lost or lapsed / active at its start): "
                + ", ".join(
                    f"{company} {start:%Y}Q{(start.month + 2) // 3} {lost}/{active}"
                    for company, start, lost, active in self.churn_seen
                )
            )
        lines.append(
            f"  customer pool: {self.pool_returned} customers returned by the "
            f"reclaim, {len(self.pool_warned)} warned and not returned at the end; "
            "claims refused: "
            + (
                ", ".join(f"{n} {why}" for why, n in sorted(self.pool_refusals.items()))
                or "none"
            )
        )
        lines.append("invariants:")
        for name, text in INVARIANTS.items():
            checked = self.checks[name]
            failed = self.failure_counts[name]
            status = "ok" if not failed else "FAILED"
            if failed and name in KNOWN_EXCEPTIONS:
                status = f"known exception ({KNOWN_EXCEPTIONS[name]})"
            lines.append(
                f"  {name:<24} {checked:>7} checked, {failed:>5} broken  {status}: "
                f"{text}"
            )
        first = None
        broken = sorted(
            (f for f in self.failures if f.invariant in failing),
            key=lambda f: f.day,
        )
        if broken:
            first = broken[0]
            lines.append("first failures of each broken invariant:")
            shown = Counter()
            for failure in broken:
                shown[failure.invariant] += 1
                if shown[failure.invariant] <= 2:
                    lines.append(f"  {failure}")
        return lines, first


def utc(day, at):
    """Naive UTC moment of a local (Shanghai, UTC+8) date and time."""
    return datetime.combine(day, at) - timedelta(hours=8)
