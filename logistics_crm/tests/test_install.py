from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_seeded_service_types(self):
        codes = set(
            self.env["logistics.service.type"]
            .search([("company_id", "=", False)])
            .mapped("code")
        )
        expected = {"FTL", "LTL", "EXP", "AIR", "SEA", "RAIL", "WH", "DIST", "CUS"}
        self.assertTrue(expected | {"VAS"} <= codes, codes)

    def test_admin_is_logistics_manager(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("logistics_crm.group_logistics_crm_manager"))
        self.assertTrue(admin.has_group("logistics_crm.group_logistics_crm_user"))

    def test_demo_customers_have_profiles_when_demo_is_loaded(self):
        demo_loaded = (
            self.env["ir.module.module"].search([("name", "=", "logistics_crm")]).demo
        )
        customer = self.env.ref(
            "logistics_crm.partner_eastwind_electronics_demo", raise_if_not_found=False
        )
        if not demo_loaded:
            self.assertFalse(customer, "demo records in a database without demo")
            return
        self.assertEqual(customer.customer_size, "large")
        self.assertEqual(customer.demand_type, "comprehensive")
        self.assertTrue(customer.lane_ids)
        self.assertTrue(customer.expected_next_order_date)
        contact = self.env.ref(
            "logistics_crm.partner_eastwind_electronics_contact_demo"
        )
        self.assertEqual(contact.customer_size, "large", "propagated from the company")
        self.assertEqual(contact.communication_style, "warm_outgoing")
        # the demo recompute ranked the customers, gave A and B a manager from the
        # pool and planned their visits after the last done one
        self.assertEqual(
            customer.with_company(customer.env.ref("base.main_company")).tier, "A"
        )
        # ranked on the default metric: the demo statements are invoiced too
        policy = self.env.ref("logistics_crm.tier_policy_main_company")
        self.assertEqual(policy.metric, "invoice_revenue")
        invoices = self.env["account.move"].search(
            [
                ("partner_id", "=", customer.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )
        self.assertTrue(invoices)
        self.assertGreater(customer.tier_value, 0)
        tiers = self.env["logistics.customer.tier"].search([("tier", "in", ("A", "B"))])
        self.assertTrue(tiers)
        self.assertTrue(all(t.partner_id.key_account_manager_id for t in tiers))
        planned = self.env["logistics.visit"].search(
            [
                ("partner_id", "=", customer.id),
                ("state", "=", "planned"),
                ("cadence", "=", "regular"),
            ]
        )
        done = self.env.ref("logistics_crm.visit_eastwind_done_demo")
        self.assertEqual(len(planned), 1)
        self.assertEqual((planned.due_date - done.date.date()).days, 30)
