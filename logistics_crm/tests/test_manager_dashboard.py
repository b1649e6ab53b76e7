from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import LogisticsTierCase, set_shares


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 02:00:00")  # 10:00 in Shanghai
class TestManagerDashboard(LogisticsTierCase):
    """The morning screen's figures are the models' figures, per company and
    per key-account manager; a figure without data is None, never 0."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager.tz = "Asia/Shanghai"
        cls.kam = cls._logistics_user("lcrm_morning_kam")
        cls.kam.tz = "Asia/Shanghai"
        cls.customers = cls._customers(10, prefix="Morning", customer_rank=1)
        for index, customer in enumerate(cls.customers):
            cls._invoice(customer, 1000.0 * (10 - index), "2026-09-01")
        set_shares(cls.policy, 10, 20)
        cls.policy._recompute_tiers()
        Account = cls.env["logistics.customer.tier"].sudo()
        cls.accounts = Account.search(
            [
                ("company_id", "=", cls.company.id),
                ("partner_id", "in", cls.customers.ids),
            ]
        ).sorted(lambda a: cls.customers.ids.index(a.partner_id.id))
        cls.accounts[:5].key_account_manager_id = cls.manager
        cls.accounts[5:].key_account_manager_id = cls.kam
        # managers of their accounts since September (churn counts the manager
        # an account had when the quarter began)
        cls.env["logistics.account.assignment"].sudo().search(
            [("account_id", "in", cls.accounts.ids)]
        ).write({"date": datetime(2026, 9, 1)})
        # the A account's health is at risk, a B one needs attention
        cls.accounts[0].write({"health_score": 30.0, "health_status": "at_risk"})
        cls.accounts[1].write({"health_score": 60.0, "health_status": "watch"})
        cls.accounts[5].write({"health_score": 90.0, "health_status": "healthy"})
        # a C customer lapsed this quarter
        cls.accounts[9].write({"churn_date": date(2026, 11, 5)})
        History = cls.env["logistics.tier.history"].sudo()
        for partner, previous, new, day in (
            (cls.customers[0], "B", "A", datetime(2026, 11, 2, 3)),
            (cls.customers[7], "B", "C", datetime(2026, 11, 2, 3)),
            (cls.customers[1], "C", "B", datetime(2026, 9, 2, 3)),
        ):
            History.create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "previous_tier": previous,
                    "new_tier": new,
                    "date": day,
                    "source": "manual",
                }
            )
        Visit = cls.env["logistics.visit"]
        for partner, user, day in (
            (cls.customers[0], cls.manager, datetime(2026, 11, 1, 2)),
            (cls.customers[6], cls.kam, datetime(2026, 11, 10, 2)),
            (cls.customers[6], cls.kam, datetime(2026, 11, 12, 2)),
            (cls.customers[2], cls.manager, datetime(2026, 11, 25, 2)),
        ):
            Visit.create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "date": day,
                    "company_id": cls.company.id,
                }
            )
        cls.env["logistics.sla.policy"].search([]).active = False
        cls.env["logistics.sla.policy"].create(
            {
                "name": "Morning SLA",
                "company_id": cls.company.id,
                "response_hours": 4,
                "resolution_hours": 16,
            }
        )
        Ticket = cls.env["logistics.ticket"].sudo()
        tracking = cls.env.ref("logistics_crm.logistics_ticket_type_tracking")
        damage = cls.env.ref("logistics_crm.logistics_ticket_type_damage")
        closed = cls.env.ref("logistics_crm.logistics_ticket_stage_closed")
        cls.late = Ticket.create(
            {
                "name": "Late pallet",
                "partner_id": cls.customers[0].id,
                "company_id": cls.company.id,
                "type_id": tracking.id,
                "sla_start_date": datetime(2026, 11, 9, 2),
            }
        )
        Ticket.create(
            {
                "name": "Fresh question",
                "partner_id": cls.customers[6].id,
                "company_id": cls.company.id,
                "type_id": tracking.id,
            }
        )
        Ticket.create(
            {
                "name": "Answered at once",
                "partner_id": cls.customers[6].id,
                "company_id": cls.company.id,
                "type_id": tracking.id,
                "stage_id": closed.id,
                "sla_start_date": datetime(2026, 11, 19, 2),
            }
        )
        cls.claim = Ticket.create(
            {
                "name": "Crushed tiles",
                "partner_id": cls.customers[1].id,
                "company_id": cls.company.id,
                "type_id": damage.id,
                "claim_amount": 1500.0,
            }
        )
        Ticket.create(
            {
                "name": "Wet cartons",
                "partner_id": cls.customers[6].id,
                "company_id": cls.company.id,
                "type_id": damage.id,
                "claim_amount": 800.0,
                "settled_amount": 500.0,
                "claim_state": "approved",
            }
        )
        Survey = cls.env["logistics.relationship.survey"].sudo()
        for account, manager, day, value, category in (
            (cls.accounts[0], cls.manager, date(2026, 11, 2), 100.0, "promoter"),
            (cls.accounts[6], cls.kam, date(2026, 10, 5), -100.0, "detractor"),
            (cls.accounts[6], cls.kam, date(2026, 11, 5), 100.0, "promoter"),
        ):
            Survey.create(
                {
                    "account_id": account.id,
                    "partner_id": account.partner_id.id,
                    "company_id": cls.company.id,
                    "manager_id": manager.id,
                    "sent_date": day,
                    "answered_date": day,
                    "state": "answered",
                    "nps_category": category,
                    "nps_value": value,
                }
            )
        # a company set up from scratch: no customer, ticket, visit or survey
        cls.empty_company = cls.env["res.company"].create({"name": "Morning Empty Co"})
        cls.env["logistics.tier.policy"]._get_company_policy(cls.empty_company)
        cls.manager.company_ids = [Command.link(cls.empty_company.id)]

    def _dashboard(self, companies=None, period="last_12_months", manager=None):
        companies = companies or self.company
        Policy = (
            self.env["logistics.tier.policy"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=companies.ids, tz="Asia/Shanghai")
        )
        return Policy.get_manager_dashboard(
            companies.ids, period, manager.id if manager else False
        )

    def _records(self, action):
        return self.env[action["res_model"]].search(action["domain"])

    def test_todos_count_and_open_their_records(self):
        data = self._dashboard()
        todos = {todo["key"]: todo for todo in data["todos"]}
        self.assertEqual(list(todos), ["key_at_risk", "breaches", "overdue_visits"])
        # the A account with its health at risk
        self.assertEqual(todos["key_at_risk"]["count"], 1)
        self.assertEqual(
            self._records(todos["key_at_risk"]["action"]), self.accounts[0]
        )
        breached = self.env["logistics.ticket"].search(
            [
                ("company_id", "=", self.company.id),
                ("is_closed", "=", False),
                ("sla_status", "=", "breached"),
            ]
        )
        self.assertIn(self.late, breached)
        self.assertEqual(todos["breaches"]["count"], len(breached))
        self.assertEqual(self._records(todos["breaches"]["action"]), breached)
        overdue = self.env["logistics.visit"].search(
            [("company_id", "=", self.company.id), ("is_overdue", "=", True)]
        )
        self.assertGreaterEqual(len(overdue), 3, "the three visits past their date")
        self.assertEqual(todos["overdue_visits"]["count"], len(overdue))
        self.assertEqual(self._records(todos["overdue_visits"]["action"]), overdue)
        self.assertEqual(todos["overdue_visits"]["action"]["views"][0][1], "list")
        # an at-risk lifecycle counts as well, a B account does not
        self.accounts[0].write(
            {"health_status": "healthy", "lifecycle_stage": "at_risk"}
        )
        self.accounts[1].write({"health_status": "at_risk"})
        todos = {todo["key"]: todo for todo in self._dashboard()["todos"]}
        self.assertEqual(todos["key_at_risk"]["count"], 1)

    def test_figures_match_the_models(self):
        data = self._dashboard()
        self.assertEqual(data["company_ids"], self.company.ids)
        self.assertEqual(
            (data["date_from"], data["date_to"]), ("2025-12-01", "2026-11-20")
        )
        Account = self.env["logistics.customer.tier"]
        company = [("company_id", "=", self.company.id)]
        grades = {row["code"]: row for row in data["grades"]["rows"]}
        self.assertEqual(list(grades), ["A", "B", "C"])
        for code, row in grades.items():
            accounts = Account.search(company + [("tier", "=", code)])
            self.assertEqual(row["customers"], len(accounts))
            self.assertAlmostEqual(row["value"], sum(accounts.mapped("value")))
        self.assertEqual(data["grades"]["customers"], 10)
        self.assertAlmostEqual(data["grades"]["value"], 55000.0)
        health = {row["code"]: row for row in data["health"]["rows"]}
        for code, row in health.items():
            for status in ("healthy", "watch", "at_risk"):
                self.assertEqual(
                    row[status],
                    Account.search_count(
                        company + [("tier", "=", code), ("health_status", "=", status)]
                    ),
                )
            self.assertEqual(
                row["no_data"],
                Account.search_count(
                    company + [("tier", "=", code), ("health_status", "=", False)]
                ),
            )
        self.assertEqual((health["A"]["at_risk"], health["A"]["no_data"]), (1, 0))
        self.assertEqual(health["C"]["no_data"], 6)
        moves = {row["label"]: row for row in data["moves"]["rows"]}
        self.assertEqual(len(moves), 12)
        self.assertEqual((moves["2026-11"]["up"], moves["2026-11"]["down"]), (1, 1))
        self.assertEqual((moves["2026-09"]["up"], moves["2026-09"]["down"]), (1, 0))
        self.assertEqual(moves["2026-10"]["up"] + moves["2026-10"]["down"], 0)
        self.assertEqual(len(self._records(data["moves"]["action"])), 3)
        # NPS: one promoter, one detractor and one promoter this quarter
        nps = {row["label"]: row for row in data["nps"]["rows"]}
        self.assertAlmostEqual(nps["2026 Q4"]["nps"], 100.0 / 3)
        self.assertEqual(nps["2026 Q4"]["answers"], 3)
        self.assertIsNone(nps["2026 Q3"]["nps"])
        self.assertAlmostEqual(data["nps"]["nps"], 100.0 / 3)
        # churn: one of the ten customers active on 1 October lapsed since
        churn = {row["label"]: row for row in data["churn"]["rows"]}
        self.assertAlmostEqual(
            churn["2026 Q4"]["rate"],
            100.0 * self.policy._churn_rate(date(2026, 10, 1), date(2026, 11, 20)),
        )
        self.assertEqual(
            (churn["2026 Q4"]["lost"], churn["2026 Q4"]["active"]), (1, 10)
        )
        self.assertIsNone(churn["2026 Q3"]["rate"], "nobody active on 1 July")
        Ticket = self.env["logistics.ticket"]
        closed = Ticket.search(
            company + [("is_closed", "=", True), ("sla_policy_id", "!=", False)]
        )
        self.assertEqual(len(closed), 1)
        sla = {row["label"]: row for row in data["sla"]["rows"]}
        self.assertAlmostEqual(sla["2026-11"]["compliance"], closed.sla_compliance)
        self.assertIsNone(sla["2026-10"]["compliance"])
        self.assertAlmostEqual(data["sla"]["compliance"], closed.sla_compliance)
        tickets = {row["status"]: row for row in data["tickets"]["rows"]}
        for status in ("on_track", "at_risk", "breached"):
            self.assertEqual(
                tickets[status]["count"],
                Ticket.search_count(
                    company + [("is_closed", "=", False), ("sla_status", "=", status)]
                ),
            )
        self.assertEqual(
            data["tickets"]["open"],
            Ticket.search_count(company + [("is_closed", "=", False)]),
        )
        overdue = {
            row["user_id"]: row["count"] for row in data["overdue_visits"]["rows"]
        }
        visits = self.env["logistics.visit"].search(
            company + [("is_overdue", "=", True)]
        )
        self.assertEqual(
            overdue,
            {
                user.id: len(visits.filtered(lambda v, u=user: v.user_id == u))
                for user in visits.user_id
            },
        )
        self.assertGreaterEqual(overdue[self.kam.id], 2)
        counts = [row["count"] for row in data["overdue_visits"]["rows"]]
        self.assertEqual(counts, sorted(counts, reverse=True))
        self.assertEqual(data["overdue_visits"]["total"], len(visits))
        claims = data["claims"]
        self.assertEqual(claims["count"], 2)
        self.assertAlmostEqual(claims["claimed"], 2300.0)
        self.assertAlmostEqual(claims["settled"], 500.0)
        self.assertEqual(len(self._records(claims["action"])), 2)

    def test_per_manager(self):
        data = self._dashboard(manager=self.kam)
        self.assertEqual(data["manager_id"], self.kam.id)
        self.assertEqual(
            {m["id"] for m in data["managers"]}, {self.manager.id, self.kam.id}
        )
        self.assertEqual(data["grades"]["customers"], 5)
        todos = {todo["key"]: todo["count"] for todo in data["todos"]}
        Visit = self.env["logistics.visit"]
        overdue = [("is_overdue", "=", True), ("company_id", "=", self.company.id)]
        self.assertEqual(
            todos,
            {
                "key_at_risk": 0,
                "breaches": 0,
                "overdue_visits": Visit.search_count(
                    overdue + [("user_id", "=", self.kam.id)]
                ),
            },
        )
        moves = {row["label"]: row for row in data["moves"]["rows"]}
        self.assertEqual((moves["2026-11"]["up"], moves["2026-11"]["down"]), (0, 1))
        nps = {row["label"]: row for row in data["nps"]["rows"]}
        self.assertAlmostEqual(nps["2026 Q4"]["nps"], 0.0)
        self.assertEqual(nps["2026 Q4"]["answers"], 2)
        churn = {row["label"]: row for row in data["churn"]["rows"]}
        self.assertEqual((churn["2026 Q4"]["lost"], churn["2026 Q4"]["active"]), (1, 5))
        self.assertEqual(data["claims"]["count"], 1)
        self.assertAlmostEqual(data["claims"]["settled"], 500.0)
        mine = self._dashboard(manager=self.manager)
        todos = {todo["key"]: todo["count"] for todo in mine["todos"]}
        self.assertEqual(
            todos,
            {
                "key_at_risk": 1,
                "breaches": 1,
                "overdue_visits": Visit.search_count(
                    overdue + [("user_id", "=", self.manager.id)]
                ),
            },
        )
        self.assertIsNone(
            {row["label"]: row for row in mine["sla"]["rows"]}["2026-11"]["compliance"]
        )

    def test_company_without_data_says_no_data(self):
        data = self._dashboard(companies=self.empty_company)
        self.assertEqual(data["company_ids"], self.empty_company.ids)
        self.assertEqual([todo["count"] for todo in data["todos"]], [0, 0, 0])
        self.assertIsNone(data["grades"]["customers"])
        self.assertIsNone(data["grades"]["value"])
        self.assertEqual(data["health"]["rows"], [])
        self.assertIsNone(data["nps"]["nps"])
        self.assertTrue(all(row["nps"] is None for row in data["nps"]["rows"]))
        self.assertTrue(all(row["rate"] is None for row in data["churn"]["rows"]))
        self.assertIsNone(data["sla"]["compliance"])
        self.assertTrue(all(row["compliance"] is None for row in data["sla"]["rows"]))
        self.assertIsNone(data["claims"]["claimed"])
        self.assertIsNone(data["claims"]["settled"])
        self.assertEqual(data["overdue_visits"]["rows"], [])
        # both companies: the figures add up
        both = self._dashboard(companies=self.company | self.empty_company)
        self.assertEqual(both["grades"]["customers"], 10)
        self.assertEqual(
            {c["id"] for c in both["companies"]},
            {self.company.id, self.empty_company.id},
        )

    def test_periods_and_allowed_companies(self):
        data = self._dashboard(period="month")
        self.assertEqual(
            (data["date_from"], data["date_to"]), ("2026-11-01", "2026-11-20")
        )
        self.assertEqual([row["label"] for row in data["moves"]["rows"]], ["2026-11"])
        self.assertEqual([row["label"] for row in data["churn"]["rows"]], ["2026 Q4"])
        self.assertEqual(self._dashboard(period="quarter")["date_from"], "2026-10-01")
        self.assertEqual(self._dashboard(period="year")["date_from"], "2026-01-01")
        # a company the manager may not see is never shown
        Policy = (
            self.env["logistics.tier.policy"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
        data = Policy.get_manager_dashboard([self.empty_company.id], "month", False)
        self.assertEqual(data["company_ids"], self.company.ids)

    def test_reps_do_not_get_the_dashboard(self):
        with self.assertRaises(AccessError):
            self.env["logistics.tier.policy"].with_user(self.rep).get_manager_dashboard(
                [], "month", False
            )
        menu = self.env.ref("logistics_crm.logistics_crm_dashboard_menu")
        self.assertEqual(
            menu.action, self.env.ref("logistics_crm.logistics_crm_morning_action")
        )
        visible = self.env["ir.ui.menu"].with_user(self.rep)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)

    def test_no_recompute_on_the_overviews(self):
        """Recomputing is a heavy action: it is on the tier policy form only."""
        kanban = self.env.ref(
            "logistics_crm.logistics_tier_policy_view_kanban_dashboard"
        )
        arch = self.env["logistics.tier.policy"].get_view(kanban.id, "kanban")["arch"]
        self.assertNotIn("action_recompute", arch)
        form = self.env["logistics.tier.policy"].get_view(view_type="form")["arch"]
        self.assertIn("action_recompute", form)
        self.assertEqual(
            self.env.ref("logistics_crm.logistics_crm_morning_action").tag,
            "logistics_crm.manager_dashboard",
        )
