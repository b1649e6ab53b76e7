"""Replays the simulated world through Odoo, night by night.

Odoo runs as a library on its own throw-away database (with logistics_crm and
logistics_crm_lead installed, without demo data). The clock is frozen: Python's
(freezegun) and the one Odoo reads from the database (``cr.now()``). Each
simulated day starts with the night: every scheduled action of both addons that
is due runs through Odoo's own cron runner (``ir.cron._acquire_one_job`` and
``_process_job``: progress records, ``_notify_progress``, a commit per batch,
``lastcall``/``nextcall`` rescheduled in the cron user's time zone). Then the
day's events happen at their local times, each slot in its own committed
transaction, as users and integrations would make them.

What the driver sees (activities, accounts, visits, tickets, surveys) is handed
to the invariants as plain data; the expectations come from the event log.
"""

import logging
import os
import random
from collections import Counter
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytz

from . import events as ev

_logger = logging.getLogger("logistics_crm.simulation")

ADDONS = ("logistics_crm", "logistics_crm_lead")
# the cron jobs of both addons (xml ids) the invariants know; the driver runs every
# scheduled action of both addons when due, these and any other
CRON_XMLIDS = (
    "logistics_crm.ir_cron_recompute_tiers",
    "logistics_crm.ir_cron_schedule_visits",
    "logistics_crm.ir_cron_proactive_activities",
    "logistics_crm.ir_cron_pool_reclaim",
    "logistics_crm.ir_cron_logistics_ticket_sla",
    "logistics_crm.ir_cron_logistics_ticket_waiting",
    "logistics_crm_lead.ir_cron_renewal_watch",
)
# the per-company jobs: called hourly, each company's in its own night
COMPANY_CRON_XMLIDS = CRON_XMLIDS[:4]
# a company's part of each per-company job: what "did its work" means
COMPANY_JOBS = {
    "_cron_recompute_company": "recompute",
    "_cron_schedule_company_visits": "visits",
    "_cron_plan_company_activities": "planner",
    "_cron_pool_reclaim_company": "reclaim",
}
PLANNER_TYPES = {
    "logistics_crm.mail_activity_type_proactive": "proactive",
    "logistics_crm.mail_activity_type_reengage": "reengage",
    "logistics_crm.mail_activity_type_birthday": "birthday",
    "logistics_crm.mail_activity_type_collection": "collection",
    "logistics_crm.mail_activity_type_planner_digest": "digest",
}
TZ = pytz.timezone(ev.TIMEZONE)
# hours of the night the runner is called at, from ev.NIGHT (02:00): the last
# per-company job's local hour (the pool reclaim, 05:00) is in it
NIGHT_HOURS = 4
POOL_WARNING_TYPE = "logistics_crm.mail_activity_type_pool_return"


def local_to_utc(day, at):
    """Naive UTC datetime of a local (Shanghai) date and time."""
    return (
        TZ.localize(datetime.combine(day, at)).astimezone(pytz.utc).replace(tzinfo=None)
    )


def utc_to_local_date(moment):
    return pytz.utc.localize(moment).astimezone(TZ).date()


class FrozenClock:
    """freezegun for Python, and Odoo's ``cr.now()`` on the same moment."""

    def __init__(self, odoo):
        from freezegun import freeze_time

        self._freezer = freeze_time(datetime(2000, 1, 1), tick=False)
        self._frozen = None
        self._odoo = odoo
        self._original_now = None

    def start(self, moment):
        self._frozen = self._freezer.start()
        self._frozen.move_to(moment)
        cursor_class = self._odoo.sql_db.Cursor
        self._original_now = cursor_class.now

        def now(cr):
            # the transaction's timestamp, as PostgreSQL's now(): the frozen moment
            # when the transaction first asks
            if cr._now is None:
                cr._now = datetime.now()
            return cr._now

        cursor_class.now = now

    def move_to(self, moment):
        self._frozen.move_to(moment)

    def stop(self):
        if self._original_now:
            self._odoo.sql_db.Cursor.now = self._original_now
        self._freezer.stop()


class Driver:
    def __init__(self, odoo, dbname, world, log):
        self.odoo = odoo
        self.dbname = dbname
        self.world = world
        self.log = log  # invariants.EventLog: what happened, as the driver did it
        self.registry = odoo.modules.registry.Registry(dbname)
        self.clock = FrozenClock(odoo)
        self.rng = random.Random(world.seed * 7919 + 1)
        self.ids = {}  # keys of the world -> database ids
        self.company_calls = []  # (job, company key, today) of each company's part
        self.cron_runs = []  # (day, cron xmlid, status) of each runner call
        self.jobs_processed = 0
        self.monthly_crons = set()
        self.seconds = Counter()  # real seconds spent per kind of event
        self.visit_first_seen = {}  # visit id -> the first planned date seen

    # ------------------------------------------------------------------
    # plumbing
    # ------------------------------------------------------------------
    def env(self, cr, uid=None, company=None):
        from odoo import SUPERUSER_ID, api

        env = api.Environment(cr, uid or SUPERUSER_ID, {"tracking_disable": True})
        if company:
            env = env(context=dict(env.context, allowed_company_ids=[company]))
        return env

    def transaction(self):
        return self.registry.cursor()

    def company_id(self, key):
        return self.ids["company", key]

    def company_keys(self):
        """{company id: company key}"""
        return {v: k for (kind, k), v in self.ids.items() if kind == "company"}

    # ------------------------------------------------------------------
    # set-up: two companies, their people, customers and settings
    # ------------------------------------------------------------------
    def setup(self):
        world = self.world
        self.clock.start(local_to_utc(world.start - timedelta(days=1), time(9, 0)))
        self._instrument_company_jobs()
        with self.transaction() as cr:
            env = self.env(cr)
            self._setup_companies(env)
            self._setup_users(env)
            self._setup_policies(env)
            self._setup_service_desk(env)
            self._setup_customers(env)
            self._setup_crons(env)
            cr.commit()

    def _setup_companies(self, env):
        from odoo.addons.logistics_crm.compat import GROUPS_FIELD  # noqa: PLC0415

        Company = env["res.company"]
        main = env.ref("base.main_company")
        main.write({"name": "Sim North Freight"})
        main.partner_id.tz = ev.TIMEZONE
        if not main.chart_template:
            env["account.chart.template"].try_loading(
                "generic_coa", company=main, install_demo=False
            )
        second = Company.create(
            {"name": "Sim South Rail", "currency_id": main.currency_id.id}
        )
        second.partner_id.tz = ev.TIMEZONE
        env["account.chart.template"].try_loading(
            "generic_coa", company=second, install_demo=False
        )
        self.ids["company", "north"] = main.id
        self.ids["company", "south"] = second.id
        for user in (env.ref("base.user_root"), env.ref("base.user_admin")):
            user.write({"tz": ev.TIMEZONE})
        admin = env.ref("base.user_admin")
        admin.write(
            {
                "company_ids": [(6, 0, [main.id, second.id])],
                GROUPS_FIELD: [
                    (4, env.ref("logistics_crm.group_logistics_crm_manager").id)
                ],
            }
        )
        self.ids["user", "admin"] = admin.id

    def _setup_users(self, env):
        from odoo.addons.logistics_crm.compat import GROUPS_FIELD  # noqa: PLC0415

        Users = env["res.users"].with_context(no_reset_password=True)
        user_group = env.ref("logistics_crm.group_logistics_crm_user")
        manager_group = env.ref("logistics_crm.group_logistics_crm_manager")
        for company, reps in ev.REPS.items():
            company_id = self.company_id(company)
            for login in (f"{company}_manager", *reps):
                group = manager_group if login.endswith("manager") else user_group
                user = Users.create(
                    {
                        "name": login.replace("_", " ").title(),
                        "login": login,
                        "email": f"{login}@sim.example.com",
                        "tz": ev.TIMEZONE,
                        "company_id": company_id,
                        "company_ids": [(6, 0, [company_id])],
                        GROUPS_FIELD: [
                            (6, 0, [env.ref("base.group_user").id, group.id])
                        ],
                    }
                )
                self.ids["user", login] = user.id

    def _setup_policies(self, env):
        Policy = env["logistics.tier.policy"]
        for company, reps in ev.REPS.items():
            company_record = env["res.company"].browse(self.company_id(company))
            policy = Policy._get_company_policy(company_record).sudo()
            policy.write(
                {
                    "responsible_user_id": self.ids["user", f"{company}_manager"],
                    "proactive_notice_days": ev.PROACTIVE_NOTICE_DAYS,
                    "planner_activities_per_user": ev.PLANNER_DAILY_LIMIT,
                    "lifecycle_lapsed_months": ev.LAPSED_MONTHS,
                    "pool_daily_limit": ev.POOL_DAILY_LIMIT,
                    "pool_owned_limit": ev.POOL_OWNED_LIMIT,
                    "manager_ids": [
                        (0, 0, {"user_id": self.ids["user", rep], "capacity": 40})
                        for rep in reps
                    ],
                }
            )
            self.ids["policy", company] = policy.id

    def _setup_service_desk(self, env):
        # a 24/7 calendar: the SLA's hours are wall-clock hours
        calendar = env["resource.calendar"].create(
            {
                "name": "Sim 24/7",
                "tz": "UTC",
                "company_id": False,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        },
                    )
                    for day in range(7)
                    for start, end, period in (
                        (0, 12, "morning"),
                        (12, 24, "afternoon"),
                    )
                ],
            }
        )
        env["logistics.sla.policy"].search([]).active = False
        alias_domain = env["mail.alias.domain"].create({"name": "sim.example.com"})
        for company in ev.COMPANIES:
            company_id = self.company_id(company)
            env["res.company"].browse(company_id).alias_domain_id = alias_domain
            team = env["logistics.ticket.team"].create(
                {
                    "name": f"Sim Desk {company}",
                    "company_id": company_id,
                    "member_ids": [
                        (6, 0, [self.ids["user", rep] for rep in ev.REPS[company]])
                    ],
                    "resource_calendar_id": calendar.id,
                    "alias_name": f"desk-{company}",
                    "alias_domain_id": alias_domain.id,
                }
            )
            self.ids["team", company] = team.id
            env["logistics.sla.policy"].create(
                {
                    "name": f"Sim SLA {company}",
                    "company_id": company_id,
                    "response_hours": 0,
                    "resolution_hours": ev.SLA_RESOLUTION_HOURS,
                    "at_risk_percent": 25,
                }
            )

    def _setup_customers(self, env):
        Partner = env["res.partner"]
        values = []
        for customer in self.world.customers:
            values.append(
                {
                    "name": customer.name,
                    "is_company": True,
                    "email": customer.email,
                    "customer_rank": 1,
                    "tz": ev.TIMEZONE,
                    "payment_day": customer.payment_day or False,
                    "company_id": customer.owner and self.company_id(customer.owner),
                }
            )
        partners = Partner.create(values)
        contacts = Partner.create(
            [
                {
                    "name": f"Contact of {customer.name}",
                    "parent_id": partner.id,
                    "email": f"contact@shipper{customer.index:04d}.example.com",
                    "birthday": customer.birthday or False,
                    "company_id": partner.company_id.id,
                }
                for customer, partner in zip(
                    self.world.customers, partners, strict=True
                )
            ]
        )
        for customer, partner, contact in zip(
            self.world.customers, partners, contacts, strict=True
        ):
            self.ids["customer", customer.index] = partner.id
            self.ids["contact", customer.index] = contact.id
        self.partner_index = {
            partner_id: index
            for (kind, index), partner_id in self.ids.items()
            if kind == "customer"
        }

    def _setup_crons(self, env):
        """Every job of both addons due on the first night (the monthly one on the
        first of a month), at the night's local time."""
        world = self.world
        first_night = local_to_utc(world.start, ev.NIGHT)
        first_month = world.start
        while first_month.day != 1:
            first_month += timedelta(days=1)
        self.cron_ids = {}
        found = env["ir.model.data"].search(
            [("model", "=", "ir.cron"), ("module", "in", ADDONS)]
        )
        for data in found:
            xmlid = f"{data.module}.{data.name}"
            cron = env["ir.cron"].browse(data.res_id)
            monthly = cron.interval_type == "months"
            cron.write(
                {
                    "nextcall": local_to_utc(first_month, ev.NIGHT)
                    if monthly
                    else first_night,
                    "active": True,
                }
            )
            self.cron_ids[cron.id] = xmlid
            if monthly:
                self.monthly_crons.add(xmlid)
        # the jobs this simulation knows what to expect of are all there
        missing = set(CRON_XMLIDS) - set(self.cron_ids.values())
        if missing:
            raise RuntimeError(f"scheduled actions not found: {sorted(missing)}")
        env.ref("base.user_root").tz = ev.TIMEZONE
        # each company was done for the day before the first night: its jobs run
        # on the first night, the monthly recompute on the first of a month
        env["logistics.tier.policy"].sudo().search([]).write(
            dict.fromkeys(
                (
                    "cron_recompute_day",
                    "cron_visits_day",
                    "cron_planner_day",
                    "cron_reclaim_day",
                ),
                world.start - timedelta(days=1),
            )
        )

    def _instrument_company_jobs(self):
        """Record each company's part of each per-company job, as it returns."""
        policy_class = self.registry["logistics.tier.policy"]
        driver = self

        def wrap(method_name, label):
            original = getattr(policy_class, method_name)

            def recorded(self, today, *args, **kwargs):
                result = original(self, today, *args, **kwargs)
                driver.company_calls.append(
                    (label, self.company_id.id, today, driver.current_day)
                )
                return result

            setattr(policy_class, method_name, recorded)

        for method_name, label in COMPANY_JOBS.items():
            wrap(method_name, label)
        self.current_day = -1

    # ------------------------------------------------------------------
    # the night: Odoo's cron runner on the jobs of both addons
    # ------------------------------------------------------------------
    def run_night(self, day):
        self.current_day = day
        night = local_to_utc(self.world.date(day), ev.NIGHT)
        from odoo.addons.logistics_crm.compat import process_cron_job  # noqa: PLC0415

        IrCron = self.registry["ir.cron"]
        db = self.odoo.sql_db.db_connect(self.dbname)
        # the per-company jobs are called hourly and do a company from their
        # local hour on (the recompute 02:00, visits 03:00, activities 04:00,
        # the pool reclaim 05:00):
        # the night is the runner at the start of each of those hours, every job
        # at the first, the per-company ones at the next (as every night before)
        company_crons = [
            cron_id
            for cron_id, xmlid in self.cron_ids.items()
            if xmlid in COMPANY_CRON_XMLIDS
        ]
        for hour in range(NIGHT_HOURS):
            start = night + timedelta(hours=hour)
            crons = list(self.cron_ids) if hour == 0 else company_crons
            self.clock.move_to(start)
            step = 0
            for _round in range(20):
                with db.cursor() as cron_cr:
                    cron_cr.execute(
                        """
                        SELECT id FROM ir_cron
                         WHERE active AND id = ANY(%s)
                           AND (nextcall <= %s OR id IN (
                                SELECT cron_id FROM ir_cron_trigger
                                 WHERE call_at <= %s))
                         ORDER BY failure_count, priority, id
                        """,
                        [crons, datetime.now(), datetime.now()],
                    )
                    ready = [row[0] for row in cron_cr.fetchall()]
                    if not ready:
                        break
                    for cron_id in ready:
                        # a job takes its time: the next one starts a second later
                        step += 1
                        self.clock.move_to(start + timedelta(seconds=step))
                        job = IrCron._acquire_one_job(cron_cr, cron_id)
                        if not job:
                            continue
                        process_cron_job(IrCron, db, cron_cr, job)
                        self.jobs_processed += 1
                        self.cron_runs.append((day, self.cron_ids[cron_id]))
            self.clock.move_to(start + timedelta(seconds=step + 1))

    # ------------------------------------------------------------------
    # the day's events
    # ------------------------------------------------------------------
    def run_day(self, day):
        events = self.world.events_of(day)
        slots = {}
        for event in events:
            slots.setdefault(event.at, []).append(event)
        for at in sorted(slots):
            self.clock.move_to(local_to_utc(self.world.date(day), at))
            with self.transaction() as cr:
                env = self.env(cr)
                for kind in ev.KINDS:
                    batch = [e for e in slots[at] if e.kind == kind]
                    if batch:
                        started = os.times().elapsed
                        getattr(self, f"_apply_{kind}")(env, day, batch)
                        self.seconds[kind] += os.times().elapsed - started
                cr.commit()

    def _apply_invoice(self, env, day, batch):
        today = self.world.date(day)
        for company, events in _by_company(batch).items():
            Move = env["account.move"].with_company(self.company_id(company))
            moves = Move.create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.ids["customer", e.customer],
                        "invoice_date": today,
                        "invoice_date_due": today + timedelta(days=e.data["due_days"]),
                        "invoice_line_ids": [
                            (
                                0,
                                0,
                                {
                                    "name": "Freight",
                                    "quantity": 1,
                                    "price_unit": e.data["amount"],
                                    "tax_ids": [(5, 0, 0)],
                                },
                            )
                        ],
                    }
                    for e in events
                ]
            )
            moves.action_post()
            for event, move in zip(events, moves, strict=True):
                self.ids["invoice", event.ref] = move.id
                self.log.record(day, "invoice", event.ref)

    def _apply_payment(self, env, day, batch):
        """The day's receipts of a company: one bank entry, each of its lines
        reconciled with the invoice it pays (as a bank statement would be)."""
        today = self.world.date(day)
        for company, events in _by_company(batch).items():
            company_id = self.company_id(company)
            moves = env["account.move"].browse(
                [self.ids["invoice", e.data["invoice"]] for e in events]
            )
            moves = moves.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
            if not moves:
                continue
            journal = env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", company_id)], limit=1
            )
            receivables = {
                move: move.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                )
                for move in moves
            }
            lines = [
                (
                    0,
                    0,
                    {
                        "name": f"Receipt {move.name}",
                        "account_id": receivables[move].account_id.id,
                        "partner_id": move.commercial_partner_id.id,
                        "credit": move.amount_residual,
                    },
                )
                for move in moves
            ]
            lines.append(
                (
                    0,
                    0,
                    {
                        "name": "Bank",
                        "account_id": journal.default_account_id.id,
                        "debit": sum(moves.mapped("amount_residual")),
                    },
                )
            )
            entry = (
                env["account.move"]
                .with_company(company_id)
                .create(
                    {
                        "move_type": "entry",
                        "journal_id": journal.id,
                        "date": today,
                        "line_ids": lines,
                    }
                )
            )
            entry.action_post()
            by_name = {line.name: line for line in entry.line_ids}
            # each receipt with its invoice, all pairs in one go (what reconcile()
            # does for one pair)
            env["account.move.line"]._reconcile_plan(
                [receivables[move] | by_name[f"Receipt {move.name}"] for move in moves]
            )
            for event in events:
                self.log.record(day, "payment", event.data["invoice"])

    def _apply_credit_note(self, env, day, batch):
        today = self.world.date(day)
        for event in batch:
            ref = event.data["invoice"]
            move = env["account.move"].browse(self.ids["invoice", ref])
            move.with_company(move.company_id)._reverse_moves(
                [{"invoice_date": today, "date": today, "ref": "Sim credit note"}],
                cancel=True,
            )
            self.log.record(day, "credit_note", event.data["invoice"])

    def _apply_volume(self, env, day, batch):
        env["logistics.volume"].create(
            [
                {
                    "partner_id": self.ids["customer", e.customer],
                    "company_id": self.company_id(e.company),
                    "date": e.data["month"],
                    "revenue": e.data["revenue"],
                    "shipment_count": e.data["shipments"],
                }
                for e in batch
            ]
        )
        for event in batch:
            self.log.record(day, "volume", event.ref)

    def _apply_ticket(self, env, day, batch):
        for event in batch:
            company_id = self.company_id(event.company)
            contact_id = self.ids["contact", event.customer]
            type_xmlid = (
                "logistics_crm.logistics_ticket_type_complaint"
                if event.data["complaint"]
                else "logistics_crm.logistics_ticket_type_tracking"
            )
            if event.data["channel"] == "portal":
                # as the portal's submit route: sudo, the customer's own values
                Ticket = env["logistics.ticket"].sudo().with_company(company_id)
                ticket = Ticket.create(
                    {
                        "name": f"Where is shipment {event.ref}?",
                        "description": "<p>Please check the status.</p>",
                        "partner_id": contact_id,
                        "type_id": env.ref(type_xmlid).id,
                        "channel": "portal",
                        "company_id": company_id,
                        "user_id": False,
                        "team_id": Ticket.env["logistics.ticket.team"]
                        ._default_team_for(
                            company=env["res.company"].browse(company_id)
                        )
                        .id,
                    }
                )
            else:
                message = EmailMessage()
                message["From"] = env["res.partner"].browse(contact_id).email
                message["To"] = f"desk-{event.company}@sim.example.com"
                message["Subject"] = f"Shipment {event.ref} damaged"
                message["Message-ID"] = make_msgid(domain="shipper.example.com")
                message.set_content("Three cartons arrived wet.")
                ticket_id = env["mail.thread"].message_process(
                    None, message.as_string()
                )
                ticket = env["logistics.ticket"].browse(ticket_id)
                if event.data["complaint"]:
                    ticket.type_id = env.ref(type_xmlid)
            self.ids["ticket", event.ref] = ticket.id
            self.log.record(day, "ticket", event.ref, ticket_id=ticket.id)

    def _apply_ticket_close(self, env, day, batch):
        stage = env.ref("logistics_crm.logistics_ticket_stage_closed")
        for event in batch:
            ticket = env["logistics.ticket"].browse(
                self.ids["ticket", event.data["ticket"]]
            )
            values = {"stage_id": stage.id}
            if ticket.is_complaint:
                values["root_cause"] = "carrier"
            ticket.write(values)
            self.log.record(day, "ticket_close", event.data["ticket"])

    def _apply_lost(self, env, day, batch):
        reason = env["logistics.churn.reason"].search([], limit=1)
        for event in batch:
            company_id = self.company_id(event.company)
            admin = env(user=self.ids["user", "admin"])
            admin = admin(context=dict(admin.context, allowed_company_ids=[company_id]))
            wizard = admin["logistics.churn.wizard"].create(
                {
                    "partner_id": self.ids["customer", event.customer],
                    "company_id": company_id,
                    "churn_reason_id": reason.id,
                    "churn_date": self.world.date(day),
                }
            )
            wizard.action_confirm()
            self.log.record(day, "lost", event.ref)

    def _apply_won_back(self, env, day, batch):
        for event in batch:
            company_id = self.company_id(event.company)
            admin = env(user=self.ids["user", "admin"])
            admin = admin(context=dict(admin.context, allowed_company_ids=[company_id]))
            admin["res.partner"].browse(
                self.ids["customer", event.customer]
            ).action_won_back()
            self.log.record(day, "won_back", event.ref)

    def _apply_handover(self, env, day, batch):
        for event in batch:
            company_id = self.company_id(event.company)
            leaving = self.ids["user", event.data["from"]]
            manager = env(user=self.ids["user", f"{event.company}_manager"])
            wizard = manager["logistics.account.handover.wizard"].create(
                {
                    "company_id": company_id,
                    "from_user_id": leaving,
                    "mode": "user",
                    "to_user_id": self.ids["user", event.data["to"]],
                }
            )
            wizard.action_handover()
            policy = env["logistics.tier.policy"].browse(
                self.ids["policy", event.company]
            )
            policy.manager_ids.filtered(
                lambda m, user=leaving: m.user_id.id == user
            ).unlink()
            team = env["logistics.ticket.team"].browse(self.ids["team", event.company])
            team.member_ids = [(3, leaving)]
            env["res.users"].browse(leaving).active = False
            self.log.record(day, "handover", event.ref, user=leaving)

    def _apply_grade_set(self, env, day, batch):
        for event in batch:
            policy = env["logistics.tier.policy"].browse(
                self.ids["policy", event.company]
            )
            policy.with_context(
                grade_template=event.data["template"]
            ).action_apply_grade_template()
            self.log.record(day, "grade_set", event.ref)

    def _apply_visits(self, env, day, batch):
        """Reps do the planned visits they get to: each customer's habit says how
        many days after the planned date (some never)."""
        today = self.world.date(day)
        env.cr.execute(
            """
            SELECT v.id, v.partner_id, v.company_id, v.date, v.cadence
              FROM logistics_visit v
             WHERE v.state = 'planned' AND v.date < %s
             ORDER BY v.id
            """,
            [local_to_utc(today + timedelta(days=1), time(0, 0))],
        )
        companies = self.company_keys()
        done = []
        for visit_id, partner_id, company_id, moment, cadence in env.cr.fetchall():
            index = self.partner_index.get(partner_id)
            if index is None:
                continue
            relation = self.world.customers[index].relations.get(companies[company_id])
            if relation is None or relation.visit_delay_days < 0:
                continue
            planned = utc_to_local_date(moment)
            # the rep gets to it some days after it first came up (the scheduler
            # may have moved it since)
            first = self.visit_first_seen.setdefault(visit_id, planned)
            if min(first, planned) + timedelta(days=relation.visit_delay_days) <= today:
                done.append((visit_id, companies[company_id], index, cadence, planned))
        if not done:
            return
        visits = env["logistics.visit"].browse([row[0] for row in done])
        for visit in visits:
            visit.satisfaction = str(self.rng.randint(3, 5))
        visits.action_done()
        for visit_id, company, index, cadence, planned in done:
            self.log.record(
                day,
                "visit_done",
                visit_id,
                company=company,
                customer=index,
                cadence=cadence,
                date=planned,
            )

    def _apply_survey_answers(self, env, day, batch):
        """Customers answer the relationship survey sent to them (some never), a
        few days after it came, through their survey link."""
        Survey = env["logistics.relationship.survey"]
        companies = self.company_keys()
        for survey in Survey.search([("state", "=", "sent")], order="id"):
            index = self.partner_index.get(survey.partner_id.id)
            if index is None:
                continue
            relation = self.world.customers[index].relations.get(
                companies[survey.company_id.id]
            )
            wait = 1 + index % 5
            if (
                relation is None
                or relation.survey_answer < 0
                or self.world.day_of(survey.sent_date) + wait > day
            ):
                continue
            recommend = relation.survey_answer
            quality = max(1, min(5, 1 + recommend // 2))
            answer = survey.sudo().user_input_id
            for question in answer.survey_id.question_ids:
                measure = question.logistics_measure
                if measure == "recommend":
                    answer._save_lines(question, str(recommend))
                elif measure == "comment":
                    answer._save_lines(question, "Faster customs clearance, please.")
                elif measure:
                    answer._save_lines(question, str(quality))
            answer._mark_done()
            self.log.record(
                day,
                "survey_answer",
                survey.id,
                company=companies[survey.company_id.id],
                customer=index,
                recommend=recommend,
                quality=float(quality),
            )

    # ------------------------------------------------------------------
    # the customer pool: reps claim, owners follow up (or not)
    # ------------------------------------------------------------------
    def _pool_rep(self, env, event):
        reps = [
            self.ids["user", login]
            for login in ev.REPS[event.company]
            if env["res.users"].browse(self.ids["user", login]).active
        ]
        return reps[int(event.data["pick"] * len(reps))]

    def _apply_pool_claim(self, env, day, batch):
        """A rep claims some pool customers (key-account grades aside); now and
        then one the rep gave back lately. A refused claim is a UserError that
        left nothing claimed."""
        from odoo.exceptions import UserError

        for event in batch:
            company_id = self.company_id(event.company)
            user = self._pool_rep(env, event)
            policy = env["logistics.tier.policy"].browse(
                self.ids["policy", event.company]
            )
            key_codes = policy.grade_ids.filtered("key_account_required").mapped("code")
            env.cr.execute(
                """
                SELECT id, partner_id, previous_owner_id = %s FROM
                       logistics_customer_tier
                 WHERE company_id = %s AND owner_id IS NULL
                   AND NOT (COALESCE(tier, '') = ANY(%s))
                 ORDER BY id
                """,
                [user, company_id, key_codes],
            )
            rows = [r for r in env.cr.fetchall() if r[1] in self.partner_index]
            if not rows:
                continue
            mine = [r for r in rows if r[2]]
            count = min(event.data["count"], len(rows))
            picked = self.rng.sample(rows, count)
            if mine and event.data["pick"] < 0.3 and mine[0] not in picked:
                picked[0] = self.rng.choice(mine)
            ids = [r[0] for r in picked]
            customers = [self.partner_index[r[1]] for r in picked]
            env.cr.execute(
                "SELECT COUNT(*) FROM logistics_customer_tier"
                " WHERE company_id = %s AND owner_id = %s",
                [company_id, user],
            )
            owned = env.cr.fetchone()[0]
            data = {
                "company": event.company,
                "user": user,
                "customers": customers,
                "owned_before": owned,
            }
            rep_env = env(user=user)
            rep_env = rep_env(
                context=dict(rep_env.context, allowed_company_ids=[company_id])
            )
            # what this slot wrote before stays whatever the claim does
            env.flush_all()
            env.cr.execute("SAVEPOINT pool_claim")
            try:
                rep_env["logistics.customer.tier"].browse(ids)._pool_claim()
            except UserError as error:
                env.flush_all()
                env.cr.execute(
                    "SELECT COUNT(*) FROM logistics_customer_tier"
                    " WHERE id = ANY(%s) AND owner_id IS NOT NULL",
                    [ids],
                )
                data["half_claimed"] = env.cr.fetchone()[0]
                data["error"] = str(error)
                env.cr.execute("ROLLBACK TO SAVEPOINT pool_claim")
                env.invalidate_all()
                self.log.record(day, "pool_refused", event.ref, **data)
                continue
            env.cr.execute("RELEASE SAVEPOINT pool_claim")
            self.log.record(day, "pool_claim", event.ref, **data)
            if self.rng.random() < 0.2:
                # a signed contract: the manager protects the customer
                env["logistics.customer.tier"].browse(ids[0]).pool_protected = True
                self.log.record(
                    day,
                    "pool_protect",
                    event.ref,
                    company=event.company,
                    customer=customers[0],
                )

    def _apply_pool_followup(self, env, day, batch):
        """A rep follows up some own customers: marks an open activity done, or
        posts a note. The others wait (and some of them return to the pool)."""
        warning_type = env.ref(POOL_WARNING_TYPE).id
        for event in batch:
            company_id = self.company_id(event.company)
            user = env["res.users"].browse(self._pool_rep(env, event))
            env.cr.execute(
                "SELECT partner_id FROM logistics_customer_tier"
                " WHERE company_id = %s AND owner_id = %s ORDER BY id",
                [company_id, user.id],
            )
            partners = [r[0] for r in env.cr.fetchall() if r[0] in self.partner_index]
            picked = self.rng.sample(partners, min(event.data["count"], len(partners)))
            for partner_id in picked:
                activity = env["mail.activity"].search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "=", partner_id),
                        ("user_id", "=", user.id),
                        ("activity_type_id", "!=", warning_type),
                    ],
                    limit=1,
                )
                if activity:
                    activity.with_user(user).action_feedback(feedback="Called.")
                else:
                    env["res.partner"].browse(partner_id).message_post(
                        body="Called about next month's shipments.",
                        message_type="comment",
                        subtype_xmlid="mail.mt_note",
                        author_id=user.partner_id.id,
                    )
            self.log.record(
                day,
                "pool_followup",
                event.ref,
                company=event.company,
                user=user.id,
                customers=[self.partner_index[p] for p in picked],
            )


def _by_company(batch):
    result = {}
    for event in batch:
        result.setdefault(event.company, []).append(event)
    return result


class Observer:
    """Reads what the database shows, as plain data for the invariants."""

    def __init__(self, driver):
        self.driver = driver
        self.last_activity_id = 0
        self.cron_runs_seen = 0
        self.company_calls_seen = 0
        self.night_floors = (0, 0)

    def _maps(self, env):
        driver = self.driver
        if not hasattr(self, "type_kinds"):
            self.type_kinds = {env.ref(x).id: k for x, k in PLANNER_TYPES.items()}
            self.user_company = {
                uid: login.split("_")[0]
                for (kind, login), uid in driver.ids.items()
                if kind == "user" and login != "admin"
            }
            self.companies = driver.company_keys()
            self.ticket_refs = {}
        for (kind, ref), ticket_id in driver.ids.items():
            if kind == "ticket":
                self.ticket_refs[ticket_id] = ref

    def visits(self, env):
        """({id: planned scheduled visit}, {id: any other visit})"""
        env.cr.execute(
            """
            SELECT id, partner_id, company_id, cadence, due_date, date, state,
                   is_scheduled, overdue_since, user_id
              FROM logistics_visit
            """
        )
        planned, other = {}, {}
        index = self.driver.partner_index
        for row in env.cr.fetchall():
            visit_id, partner, company, cadence, due, moment, state, scheduled = row[:8]
            if partner not in index:
                continue
            visit = {
                "company": self.companies[company],
                "customer": index[partner],
                "cadence": cadence,
                "due": due,
                "date": utc_to_local_date(moment),
                "state": state,
                "overdue_since": row[8],
                "user": row[9],
            }
            if state == "planned" and scheduled:
                planned[visit_id] = visit
            else:
                other[visit_id] = visit
        return planned, other

    def before_night(self):
        with self.driver.transaction() as cr:
            env = self.driver.env(cr)
            self._maps(env)
            planned, _other = self.visits(env)
            # what the night creates comes after these
            cr.execute(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM mail_activity),"
                " (SELECT COALESCE(MAX(id), 0) FROM ir_cron_progress),"
                " (SELECT COALESCE(MAX(id), 0) FROM logistics_account_assignment)"
            )
            self.night_floors = cr.fetchone()
        return planned

    def after_night(self, day, visits_before):
        driver = self.driver
        world = driver.world
        today = world.date(day)
        with driver.transaction() as cr:
            env = driver.env(cr)
            self._maps(env)
            index = driver.partner_index
            facts = {
                "day": day,
                "night": local_to_utc(today, ev.NIGHT),
                "now": datetime.now(),
                "visits_before": visits_before,
            }
            # create dates of what the night's jobs created (cr.now(), frozen)
            cr.execute(
                """
                SELECT create_date FROM mail_activity WHERE id > %s
                 UNION ALL
                SELECT create_date FROM ir_cron_progress WHERE id > %s
                """,
                list(self.night_floors[:2]),
            )
            facts["night_stamps"] = [row[0] for row in cr.fetchall()]
            calls = driver.company_calls[self.company_calls_seen :]
            self.company_calls_seen = len(driver.company_calls)
            facts["company_calls"] = [
                (label, self.companies[company], when)
                for label, company, when, _day in calls
            ]
            facts["recomputed"] = sorted(
                {self.companies[c] for job, c, _w, _d in calls if job == "recompute"}
            )
            runs = driver.cron_runs[self.cron_runs_seen :]
            self.cron_runs_seen = len(driver.cron_runs)
            facts["crons_run"] = {xmlid for _day, xmlid in runs}
            facts["daily_crons"] = sorted(
                set(driver.cron_ids.values()) - driver.monthly_crons
            )
            cr.execute(
                """
                SELECT id, activity_type_id, res_model, res_id, user_id, summary,
                       note, date_deadline
                  FROM mail_activity WHERE id > %s ORDER BY id
                """,
                [self.last_activity_id],
            )
            activities = []
            for row in cr.fetchall():
                activity_id, type_id, model, res_id, user, summary, note, deadline = row
                self.last_activity_id = max(self.last_activity_id, activity_id)
                kind = self.type_kinds.get(type_id)
                if kind is None:
                    continue
                activities.append(
                    {
                        "id": activity_id,
                        "kind": kind,
                        "customer": index.get(res_id)
                        if model == "res.partner"
                        else None,
                        "user": user,
                        "company": self.user_company.get(user),
                        "summary": summary,
                        "note": note,
                        "deadline": deadline,
                    }
                )
            facts["activities"] = activities
            cr.execute(
                """
                SELECT res_model, res_id, activity_type_id, user_id, date_deadline,
                       summary
                  FROM mail_activity
                """
            )
            facts["open_activities"] = cr.fetchall()
            cr.execute(
                """
                SELECT company_id, partner_id, tier, key_account_manager_id,
                       health_date, health_score, health_status,
                       health_trend_score, health_service_score,
                       health_satisfaction_score, health_visits_score,
                       health_payment_score, health_survey_score, value
                  FROM logistics_customer_tier
                """
            )
            accounts = {}
            for row in cr.fetchall():
                if row[1] not in index:
                    continue
                accounts[self.companies[row[0]], index[row[1]]] = {
                    "tier": row[2] or None,
                    "kam": row[3],
                    "health_date": row[4],
                    "health_score": row[5],
                    "health_status": row[6] or None,
                    "signals": dict(
                        zip(
                            (
                                "trend",
                                "service",
                                "satisfaction",
                                "visits",
                                "payment",
                                "survey",
                            ),
                            row[7:13],
                            strict=True,
                        )
                    ),
                    "value": row[13],
                }
            facts["accounts"] = accounts
            planned, other = self.visits(env)
            facts["visits_after"] = planned
            facts["visits_other"] = other
            # the moment a ticket first missed a target, kept once closed
            cr.execute(
                "SELECT id, sla_breached, COALESCE(sla_first_breach_date, "
                "sla_breach_date), is_closed FROM logistics_ticket"
            )
            facts["tickets"] = {
                self.ticket_refs[ticket_id]: {
                    "breached": bool(breached),
                    "breach_date": breach_date,
                    "closed": bool(closed),
                }
                for ticket_id, breached, breach_date, closed in cr.fetchall()
                if ticket_id in self.ticket_refs
            }
            cr.execute(
                "SELECT company_id, partner_id, sent_date, tier "
                "FROM logistics_relationship_survey"
            )
            facts["surveys"] = [
                (self.companies[company], index[partner], sent, tier)
                for company, partner, sent, tier in cr.fetchall()
                if partner in index
            ]
            policies = {}
            churn = {}
            for company in ev.COMPANIES:
                policy = env["logistics.tier.policy"].browse(
                    driver.ids["policy", company]
                )
                policies[company] = {
                    "weights": policy._health_weights(),
                    "watch_below": policy.health_watch_below,
                    "at_risk_below": policy.health_at_risk_below,
                    "survey": bool(policy.survey_id),
                }
                if today.day == 1 and today.month in (1, 4, 7, 10) and day > 0:
                    date_to = today - timedelta(days=1)
                    date_from = date_to.replace(
                        month=(date_to.month - 1) // 3 * 3 + 1, day=1
                    )
                    if date_from >= world.start:
                        churn[company, date_from, date_to] = policy._churn_counts(
                            date_from, date_to
                        )
            facts["policies"] = policies
            facts["churn"] = churn
            self._pool_facts(env, facts)
            cr.rollback()
        return facts

    def _pool_facts(self, env, facts):
        """The pool tonight: the accounts' owners, the warnings the night gave,
        the returns it made, the key-account grades."""
        index = self.driver.partner_index
        contacts = {
            contact: customer
            for (kind, customer), contact in self.driver.ids.items()
            if kind == "contact"
        }
        env.cr.execute(
            """
            SELECT company_id, partner_id, owner_id, pool_reason, pool_protected,
                   tier
              FROM logistics_customer_tier
            """
        )
        facts["pool_accounts"] = {
            (self.companies[c], index[p]): {
                "owner": owner,
                "reason": reason,
                "protected": bool(protected),
                "tier": tier or None,
            }
            for c, p, owner, reason, protected, tier in env.cr.fetchall()
            if p in index
        }
        env.cr.execute(
            "SELECT res_id, user_id FROM mail_activity"
            " WHERE id > %s AND activity_type_id = %s AND res_model = 'res.partner'",
            [self.night_floors[0], env.ref(POOL_WARNING_TYPE).id],
        )
        facts["pool_warnings"] = [
            (index[p], user) for p, user in env.cr.fetchall() if p in index
        ]
        env.cr.execute(
            """
            SELECT company_id, partner_id, from_user_id FROM
                   logistics_account_assignment
             WHERE id > %s AND pool_event = 'return'
            """,
            [self.night_floors[2]],
        )
        facts["pool_returns"] = [
            (self.companies[c], index[p], user)
            for c, p, user in env.cr.fetchall()
            if p in index
        ]
        facts["pool_open_activities"] = {
            (index.get(res_id, contacts.get(res_id)), user)
            for model, res_id, _type, user, _deadline, _summary in facts[
                "open_activities"
            ]
            if model == "res.partner"
        }
        facts["key_grades"] = {
            company: set(
                env["logistics.tier.policy"]
                .browse(self.driver.ids["policy", company])
                .grade_ids.filtered("key_account_required")
                .mapped("code")
            )
            for company in ev.COMPANIES
        }
