from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.tests.common import LogisticsTierCase, set_shares


@tagged("post_install", "-at_install")
class TestLeadWon(LogisticsTierCase):
    """A qualified opportunity, won, becomes a profiled customer with a
    key-account manager when its expected value ranks it in A or B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 19 current customers worth 1,000 to 19,000 a year
        cls.current = cls._customers(19, prefix="Current", customer_rank=1)
        for index, customer in enumerate(cls.current):
            cls._invoice(customer, 1000.0 * (index + 1), "2026-10-01")
        set_shares(cls.policy, 10.0, 20.0)
        cls.policy._recompute_tiers()
        cls.kam = new_test_user(
            cls.env,
            login="lcrm_lead_kam",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.policy.manager_ids = [
            Command.create({"user_id": cls.kam.id, "capacity": 50})
        ]
        cls.sea = cls.env["logistics.service.type"].create(
            {"name": "Sea LCL", "code": "T-LCL"}
        )
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Prospect Shipping Co", "is_company": True}
        )
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)

    def _opportunity(self, revenue, **vals):
        return self.env["crm.lead"].create(
            {
                "name": "Ocean freight for Prospect",
                "type": "opportunity",
                "partner_id": self.prospect.id,
                "company_id": self.company.id,
                "expected_revenue": revenue,
                "logistics_service_type_ids": [Command.set(self.sea.ids)],
                "logistics_annual_shipments": 240,
                "logistics_annual_tonnes": 5000.0,
                "logistics_trigger": "unhappy",
                "logistics_current_provider": "Slow Lines Ltd",
                **vals,
            }
        )

    def test_won_fills_the_profile_and_assigns_a_manager(self):
        lead = self._opportunity(30000.0)  # above every current customer: A
        lead.action_set_won()
        customer = self.prospect.with_company(self.company)
        self.assertEqual(customer.service_type_ids, self.sea)
        self.assertEqual(customer.annual_shipment_estimate, 240)
        self.assertEqual(customer.annual_tonnage_estimate, 5000.0)
        self.assertEqual(customer.lifecycle_stage, "new")
        self.assertTrue(customer.customer_rank)
        self.assertEqual(customer.key_account_manager_id, self.kam)
        self.assertIn("key-account manager", lead.message_ids[:1].body)

    def test_what_a_rep_entered_stays_and_small_deals_get_no_manager(self):
        other = self.env["logistics.service.type"].create(
            {"name": "Rail", "code": "T-RAIL"}
        )
        self.prospect.with_company(self.company).write(
            {
                "service_type_ids": [Command.set(other.ids)],
                "annual_shipment_estimate": 12,
            }
        )
        lead = self._opportunity(500.0)  # below every current customer: C
        lead.write({"stage_id": self.won_stage.id})  # dragged to the won stage
        customer = self.prospect.with_company(self.company)
        self.assertEqual(customer.service_type_ids, other, "not overwritten")
        self.assertEqual(customer.annual_shipment_estimate, 12)
        self.assertEqual(customer.annual_tonnage_estimate, 5000.0, "was empty")
        self.assertFalse(customer.key_account_manager_id)

    def test_target_accounts_of_the_year(self):
        self.prospect.logistics_target_year = 2026
        found = self.env["res.partner"].search(
            [("logistics_target_year", "=", 2026), ("id", "=", self.prospect.id)]
        )
        self.assertEqual(found, self.prospect)
        views = self.env["res.partner"].get_views([(False, "search")])
        self.assertIn("logistics_target_this_year", views["views"]["search"]["arch"])
