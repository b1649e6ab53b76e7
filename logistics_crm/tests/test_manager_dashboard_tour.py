from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese, set_shares
from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestManagerDashboardTour(NoReadWriteRetryMixin, HttpCase):
    """The morning screen in Chromium for a manager working in Chinese in
    Shanghai: in a company of its own, then on the database's main company
    (with the demo data when the database has it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)

    def _manager(self, login, company):
        return new_test_user(
            self.env,
            login=login,
            password=f"{login}_pwd",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            lang="zh_CN",
            tz="Asia/Shanghai",
        )

    def test_morning_screen_in_chinese(self):
        company = self.env["res.company"].create({"name": "Morning Tour Co"})
        manager = self._manager("lcrm_morning_tour", company)
        # shared prospects (the demo data's) would be in every company's scope
        self.env["res.partner"].search(
            [("company_id", "=", False), ("customer_rank", ">", 0)]
        ).customer_rank = 0
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Morning tour customer {i}",
                    "is_company": True,
                    "customer_rank": 1,
                    "company_id": company.id,
                }
                for i in range(3)
            ]
        )
        today = datetime.now().date()
        self.env["logistics.volume"].create(
            [
                {
                    "partner_id": customer.id,
                    "date": today.replace(day=1),
                    "revenue": 1000.0 * (3 - i),
                    "company_id": company.id,
                }
                for i, customer in enumerate(customers)
            ]
        )
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        policy.metric = "volume_revenue"
        set_shares(policy, 34, 33)
        policy._recompute_tiers()
        Account = self.env["logistics.customer.tier"].sudo()
        top = Account.search(
            [("company_id", "=", company.id), ("partner_id", "=", customers[0].id)]
        )
        self.assertEqual(top.tier, policy._grade_list()[0][0])
        top.write({"health_status": "at_risk", "health_score": 20.0})
        self.env["logistics.visit"].create(
            [
                {
                    "partner_id": customers[1].id,
                    "user_id": manager.id,
                    "date": datetime.now() - timedelta(days=days),
                    "company_id": company.id,
                }
                for days in (2, 9)
            ]
        )
        self.env["logistics.sla.policy"].create(
            {
                "name": "Morning tour SLA",
                "company_id": company.id,
                "response_hours": 1,
                "resolution_hours": 8,
            }
        )
        ticket = (
            self.env["logistics.ticket"]
            .with_company(company)
            .create(
                {
                    "name": "Pallet not delivered",
                    "partner_id": customers[2].id,
                    "company_id": company.id,
                    "type_id": self.env.ref(
                        "logistics_crm.logistics_ticket_type_tracking"
                    ).id,
                    "sla_start_date": datetime.now() - timedelta(days=10),
                }
            )
        )
        self.assertEqual(ticket.sla_status, "breached")
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_crm_morning_action",
            "logistics_crm_morning_tour",
            login=manager.login,
        )

    def test_morning_screen_on_the_main_company(self):
        company = self.env.ref("base.main_company")
        manager = self._manager("lcrm_morning_main", company)
        data = (
            self.env["logistics.tier.policy"]
            .with_user(manager)
            .with_context(allowed_company_ids=company.ids, tz="Asia/Shanghai")
            .get_manager_dashboard(company.ids, "year", False)
        )
        todos = {todo["key"]: todo["count"] for todo in data["todos"]}
        self.assertEqual(
            todos["overdue_visits"],
            self.env["logistics.visit"].search_count(
                [("company_id", "=", company.id), ("is_overdue", "=", True)]
            ),
        )
        self.assertEqual(
            todos["breaches"],
            self.env["logistics.ticket"].search_count(
                [
                    ("company_id", "=", company.id),
                    ("is_closed", "=", False),
                    ("sla_status", "=", "breached"),
                ]
            ),
        )
        accounts = self.env["logistics.customer.tier"].search_count(
            [("company_id", "=", company.id), ("tier", "!=", False)]
        )
        self.assertEqual(data["grades"]["customers"], accounts or None)
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_crm_morning_action",
            "logistics_crm_morning_demo_tour",
            login=manager.login,
        )
