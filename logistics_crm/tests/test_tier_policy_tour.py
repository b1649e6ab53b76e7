from odoo.tests import HttpCase, new_test_user, tagged

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestTierPolicyTour(NoReadWriteRetryMixin, HttpCase):
    def test_manager_changes_policy_and_recomputes(self):
        company = self.env["res.company"].create({"name": "Tour Forwarding Co"})
        new_test_user(
            self.env,
            login="lcrm_tour_manager",
            password="lcrm_tour_manager_pwd",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Tour customer {i}",
                    "is_company": True,
                    "customer_rank": 1,
                    "company_id": company.id,
                }
                for i in range(10)
            ]
        )
        self.env["logistics.volume"].create(
            [
                {
                    "partner_id": customer.id,
                    "date": "2026-01-01",
                    "revenue": 1000.0 * (i + 1),
                    "company_id": company.id,
                }
                for i, customer in enumerate(customers)
            ]
        )
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        policy.metric = "volume_revenue"
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_tier_policy_action",
            "logistics_crm_tier_policy_tour",
            login="lcrm_tour_manager",
        )
        self.assertEqual(policy._service_level("A").share_percent, 10)
        self.assertEqual(
            [code for code, _name in policy._grade_list()], ["A", "B", "C", "D"]
        )
        top = self.env["logistics.customer.tier"].search(
            [("company_id", "=", company.id), ("tier", "=", "A")]
        )
        self.assertEqual(top.partner_id, customers[-1], "top 10% of 10 customers")
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
            "logistics_crm_overview_tour",
            login="lcrm_tour_manager",
        )
