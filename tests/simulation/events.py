"""The simulated year's event model: seeded, repeatable and Odoo-free.

`build_world(seed, days, customers)` draws two companies sharing some customers and
the events of every day: invoices, payments (some late), credit notes, monthly
volume statements, tickets by portal and email and when each is resolved, visit
habits, survey answers, customers lost and won back, a rep leaving (handover),
a grade set changed in mid-year, and the customer pool: reps claiming pool
customers and following some of theirs up (the others return to the pool).
The same arguments always give the same world. The driver (driver.py) replays
it through Odoo; the invariants (invariants.py) are computed from it and from
what the driver did, never from the addon's own figures.
"""

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

START = date(2024, 1, 1)
TIMEZONE = "Asia/Shanghai"
# the night's run of the scheduled actions, local time: "today" is that day
NIGHT = time(2, 0)
COMPANIES = ("north", "south")
REPS = {
    "north": ("north_rep_1", "north_rep_2", "north_rep_3"),
    "south": ("south_rep_1", "south_rep_2"),
}
# a rep of the first company leaves: the handover gives their accounts to another
LEAVING_REP = ("north", "north_rep_2", "north_rep_3")
# the grade set of the first company changes in mid-year
GRADE_CHANGE = ("north", "railway")
# the service desk's SLA (a 24/7 calendar: hours are wall-clock hours)
SLA_RESPONSE_HOURS = 24
SLA_RESOLUTION_HOURS = 48
PAYMENT_TERM_DAYS = 30
# the share of customers ordering every week or two
REGULAR_SHARE = 0.07
# the policy settings the simulation sets (the invariants read them from here)
PROACTIVE_NOTICE_DAYS = 3
PLANNER_DAILY_LIMIT = 4
LAPSED_MONTHS = 12

# event kinds, in the order they happen within a day when at the same time
KINDS = (
    "volume",
    "invoice",
    "credit_note",
    "ticket",
    "ticket_close",
    "payment",
    "lost",
    "won_back",
    "handover",
    "grade_set",
    "visits",
    "survey_answers",
    "pool_claim",
    "pool_followup",
)
# the customer pool (公海): the simulation's limits (low, so that reps reach
# them) and how often reps claim and follow up their customers
POOL_DAILY_LIMIT = 3
POOL_OWNED_LIMIT = 30
POOL_CLAIM_CHANCE = 0.5  # per company and working day: a rep claims 1-4
POOL_FOLLOWUP_CHANCE = 0.4  # per company and day: a rep follows up some customers


@dataclass
class Relation:
    """What a customer does with one company."""

    company: str
    interval_days: int
    amount: float
    first_day: int
    last_day: int  # no order after this day (it may lapse)
    late_days: int  # 0: pays on time
    payment_day: int  # the customer's payday (0: none); one per customer
    statements: bool  # sends monthly volume statements
    ticket_every_days: int
    visit_delay_days: int  # days after the planned date its visits get done; -1 never
    survey_answer: int  # would-recommend answer 0-10; -1: never answers
    lost_day: int = -1
    won_back_day: int = -1


@dataclass
class Customer:
    index: int
    name: str
    email: str
    owner: str | None  # the company it belongs to; None: shared by both
    birthday: date | None
    payment_day: int
    relations: dict = field(default_factory=dict)


@dataclass
class Event:
    day: int
    at: time
    kind: str
    company: str | None = None
    customer: int | None = None
    data: dict = field(default_factory=dict)
    ref: str = ""

    def sort_key(self):
        return (self.day, self.at, KINDS.index(self.kind), self.ref)


@dataclass
class World:
    seed: int
    days: int
    start: date
    customers: list
    events: list
    handover_day: int
    grade_change_day: int

    def date(self, day):
        return self.start + timedelta(days=day)

    def day_of(self, when):
        return (when - self.start).days

    def events_of(self, day):
        return self.by_day.get(day, [])

    def __post_init__(self):
        self.events.sort(key=Event.sort_key)
        self.by_day = {}
        for event in self.events:
            self.by_day.setdefault(event.day, []).append(event)
        self.invoices = {e.ref: e for e in self.events if e.kind == "invoice"}
        self.tickets = {e.ref: e for e in self.events if e.kind == "ticket"}

    def history_days(self):
        """Days before the run with events: the customers' history, loaded first."""
        return sorted(day for day in self.by_day if day < 0)

    def summary(self):
        counts = {}
        for event in self.events:
            counts[event.kind] = counts.get(event.kind, 0) + 1
        return counts


def order_days(relation, days):
    """The days the customer orders from the company: every `interval_days`
    from its first day to its last, none while it is lost."""
    result = []
    day = relation.first_day
    while day <= min(relation.last_day, days - 1):
        lost = relation.lost_day >= 0 and day >= relation.lost_day
        back = relation.won_back_day >= 0 and day >= relation.won_back_day
        if not lost or back:
            result.append(day)
            day += relation.interval_days
        else:
            # back in business on the day it is won back
            if relation.won_back_day < 0:
                break
            day = relation.won_back_day
    return result


def _relation(rng, company, index, days, payment_day):
    # a few regulars order every week or two; most customers now and then (a
    # quiet customer costs the run little: every night still runs every job)
    regular = rng.random() < REGULAR_SHARE
    interval = rng.choice((7, 14, 21, 30) if regular else (120, 150, 180, 240))
    # distinct amounts: no two customers tie in a ranking
    amount = round(rng.choice((800, 1500, 3000, 6000, 12000, 30000)) + index * 1.37, 2)
    # most customers ordered before the run starts (their history is loaded
    # first); some start during the run
    late_start = rng.randrange(min(45, days - 1), days)
    first = -rng.randrange(1, interval + 30)
    if rng.random() >= 0.85:
        first = late_start
    last = days
    roll = rng.random()
    if roll < 0.06:
        # fading: stopped ordering before the run, lapses during it
        first = -rng.randrange(200, 330)
        last = min(first + rng.randrange(0, 120), -20)
    elif roll < 0.14:
        last = rng.randrange(max(first, 0), max(days, first + 1))
    relation = Relation(
        company=company,
        interval_days=interval,
        amount=amount,
        first_day=first,
        last_day=last,
        late_days=0 if rng.random() < 0.7 else rng.randrange(3, 50),
        payment_day=payment_day,
        statements=rng.random() < 0.5,
        ticket_every_days=rng.choice((240, 365, 730, 1095)),
        visit_delay_days=-1 if rng.random() < 0.12 else rng.randrange(0, 12),
        survey_answer=-1 if rng.random() < 0.3 else rng.randrange(0, 11),
    )
    if rng.random() < 0.05 and max(first, 0) + 60 < min(last, days - 30):
        relation.lost_day = rng.randrange(max(first, 0) + 60, min(last, days - 30))
        if rng.random() < 0.5:
            relation.won_back_day = relation.lost_day + rng.randrange(20, 90)
            if relation.won_back_day >= days:
                relation.won_back_day = -1
    return relation


def build_world(seed=23, days=400, customers=300, start=START):
    """Draw the world: same arguments, same world."""
    rng = random.Random(seed)
    people = []
    for index in range(customers):
        roll = rng.random()
        owner = None if roll < 0.2 else COMPANIES[0] if roll < 0.65 else COMPANIES[1]
        birthday = (
            date(1970 + rng.randrange(30), 1, 1) + timedelta(days=rng.randrange(365))
            if rng.random() < 0.3
            else None
        )
        payment_day = rng.choice((10, 15, 25, 31)) if rng.random() < 0.3 else 0
        customer = Customer(
            index=index,
            name=f"Sim Shipper {index:04d}",
            email=f"ops@shipper{index:04d}.example.com",
            owner=owner,
            birthday=birthday,
            payment_day=payment_day,
        )
        for company in COMPANIES if owner is None else (owner,):
            customer.relations[company] = _relation(
                rng, company, index, days, payment_day
            )
        people.append(customer)

    events = []
    handover_day = min(days - 1, max(1, days // 2))
    grade_change_day = min(days - 1, max(1, 182))
    for customer in people:
        for relation in customer.relations.values():
            events += _relation_events(rng, customer, relation, days)
    # monthly statements of the month before, on the first
    for day in range(days):
        current = start + timedelta(days=day)
        if current.day != 1 or day == 0:
            continue
        month_start = (current - timedelta(days=1)).replace(day=1)
        for customer in people:
            for company, relation in customer.relations.items():
                if not relation.statements:
                    continue
                orders = [
                    d
                    for d in order_days(relation, days)
                    if start + timedelta(days=d) >= month_start and d < day
                ]
                if orders:
                    events.append(
                        Event(
                            day,
                            time(8, 0),
                            "volume",
                            company,
                            customer.index,
                            {
                                "month": month_start,
                                "revenue": round(relation.amount * len(orders), 2),
                                "shipments": 3 * len(orders),
                            },
                            ref=f"vol-{company}-{customer.index}-{day}",
                        )
                    )
    company, leaving, successor = LEAVING_REP
    events.append(
        Event(
            handover_day,
            time(9, 0),
            "handover",
            company,
            data={"from": leaving, "to": successor},
            ref="handover",
        )
    )
    company, template = GRADE_CHANGE
    events.append(
        Event(
            grade_change_day,
            time(9, 30),
            "grade_set",
            company,
            data={"template": template},
            ref="grade-set",
        )
    )
    for day in range(days):
        # reps go on their visits, customers answer their surveys
        events.append(Event(day, time(16, 0), "visits", ref=f"visits-{day}"))
        events.append(Event(day, time(20, 0), "survey_answers", ref=f"answers-{day}"))
    events += _pool_events(seed, start, days)
    return World(seed, days, start, people, events, handover_day, grade_change_day)


def _pool_events(seed, start, days):
    """Reps claim pool customers on working days (now and then more than the
    daily limit lets them) and follow up some of their own customers; the
    driver picks the rep and the customers. A separate draw: the rest of the
    world stays as it was."""
    rng = random.Random(seed * 31 + 25)
    events = []
    for day in range(days):
        weekday = (start + timedelta(days=day)).weekday()
        for company in COMPANIES:
            if weekday < 5 and rng.random() < POOL_CLAIM_CHANCE:
                events.append(
                    Event(
                        day,
                        time(10, 30),
                        "pool_claim",
                        company,
                        data={"count": rng.randint(1, 4), "pick": rng.random()},
                        ref=f"claim-{company}-{day}",
                    )
                )
            if rng.random() < POOL_FOLLOWUP_CHANCE:
                events.append(
                    Event(
                        day,
                        time(17, 0),
                        "pool_followup",
                        company,
                        data={"count": rng.randint(1, 6), "pick": rng.random()},
                        ref=f"followup-{company}-{day}",
                    )
                )
    return events


def _relation_events(rng, customer, relation, days):
    company = relation.company
    key = f"{company}-{customer.index}"
    events = []
    for number, day in enumerate(order_days(relation, days)):
        ref = f"inv-{key}-{number}"
        amount = round(relation.amount * rng.uniform(0.8, 1.2), 2)
        events.append(
            Event(
                day,
                time(10, 0),
                "invoice",
                company,
                customer.index,
                {"amount": amount, "due_days": PAYMENT_TERM_DAYS},
                ref=ref,
            )
        )
        if rng.random() < 0.04:
            credit_day = day + rng.randrange(1, 10)
            if credit_day < days:
                events.append(
                    Event(
                        credit_day,
                        time(11, 0),
                        "credit_note",
                        company,
                        customer.index,
                        {"invoice": ref},
                        ref=f"cn-{ref}",
                    )
                )
            continue
        pay_day = day + PAYMENT_TERM_DAYS + relation.late_days + rng.randrange(-3, 3)
        pay_day = max(pay_day, day + 1)
        if pay_day < days:
            events.append(
                Event(
                    pay_day,
                    time(15, 0),
                    "payment",
                    company,
                    customer.index,
                    {"invoice": ref},
                    ref=f"pay-{ref}",
                )
            )
    for day in range(max(relation.first_day, 0), min(relation.last_day + 30, days)):
        if rng.randrange(relation.ticket_every_days):
            continue
        created = time(rng.randrange(8, 19), rng.randrange(60))
        # most are solved within the SLA; some breach it
        hours = (
            rng.uniform(1, SLA_RESOLUTION_HOURS - 4)
            if rng.random() < 0.75
            else rng.uniform(SLA_RESOLUTION_HOURS + 6, 200)
        )
        ref = f"tk-{key}-{day}"
        events.append(
            Event(
                day,
                created,
                "ticket",
                company,
                customer.index,
                {
                    "channel": "portal" if rng.random() < 0.5 else "email",
                    "complaint": rng.random() < 0.2,
                    "hours": hours,
                },
                ref=ref,
            )
        )
        # resolved and closed at the first full hour after those hours
        minutes = created.hour * 60 + created.minute + int(hours * 60) + 60
        close_day = day + minutes // (24 * 60)
        close_at = time((minutes // 60) % 24, 0)
        if close_day < days:
            events.append(
                Event(
                    close_day,
                    close_at,
                    "ticket_close",
                    company,
                    customer.index,
                    {"ticket": ref},
                    ref=f"close-{ref}",
                )
            )
    if relation.lost_day >= 0:
        events.append(
            Event(
                relation.lost_day,
                time(9, 0),
                "lost",
                company,
                customer.index,
                ref=f"lost-{key}",
            )
        )
    if relation.won_back_day >= 0:
        events.append(
            Event(
                relation.won_back_day,
                time(9, 0),
                "won_back",
                company,
                customer.index,
                ref=f"back-{key}",
            )
        )
    return events
