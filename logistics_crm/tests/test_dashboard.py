from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTierCase, set_shares


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 10:00:00")
class TestDashboard(LogisticsTierCase):
    def test_overview_numbers_and_click_through(self):
        customers = self._customers(10, prefix="Dash")
        for i, customer in enumerate(customers):
            self._invoice(customer, 1000.0 * (10 - i), "2026-10-01")
        set_shares(self.policy, 10, 20)
        self.policy._recompute_tiers()
        self.env["logistics.visit"].create(
            {
                "partner_id": customers[0].id,
                "user_id": self.rep.id,
                "date": datetime(2026, 11, 1, 9, 0),
                "company_id": self.company.id,
            }
        )
        policy = self.policy.with_user(self.manager)
        grades = policy.dashboard_grades
        self.assertEqual(
            [(g["code"], g["count"]) for g in grades], [("A", 1), ("B", 2), ("C", 7)]
        )
        self.assertEqual(grades[0]["name"], "A – Key Customer")
        # A makes 10000 of 55000
        self.assertEqual(grades[0]["share"], round(10000 * 100 / 55000))
        self.assertEqual(policy.dashboard_overdue_visits, 1)
        action = policy.with_context(dashboard="tier", tier="A").action_open_dashboard()
        rows = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(rows.partner_id, customers[0])
        # key customers buying one service: cross-selling ground
        self.assertEqual(policy.dashboard_single_demand, 0)
        service = self.env["logistics.service.type"].search([], limit=1)
        (customers[0] | customers[9]).service_type_ids = service  # an A and a C
        policy.invalidate_recordset(["dashboard_single_demand"])
        self.assertEqual(policy.dashboard_single_demand, 1)
        action = policy.with_context(dashboard="single_demand").action_open_dashboard()
        rows = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(rows.partner_id, customers[0])
        action = policy.with_context(dashboard="tier").action_open_dashboard()
        self.assertEqual(action["context"], {"group_by": "tier"})
        self.assertEqual(
            len(self.env[action["res_model"]].search(action["domain"])), 10
        )
        action = policy.with_context(dashboard="overdue").action_open_dashboard()
        self.assertEqual(len(self.env[action["res_model"]].search(action["domain"])), 1)
        self.assertEqual(action["context"], {"group_by": "user_id"})
        action = policy.with_context(
            dashboard="tickets", sla_status="breached"
        ).action_open_dashboard()
        self.assertEqual(action["res_model"], "logistics.ticket")
