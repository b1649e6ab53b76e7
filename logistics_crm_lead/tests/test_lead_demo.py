from odoo.tests import TransactionCase, tagged

DEMO_LEADS = (
    "crm_lead_kaida_ocean_demo",
    "crm_lead_oceanfresh_cold_chain_demo",
    "crm_lead_skylink_air_demo",
    "crm_lead_microtech_air_demo",
    "crm_lead_yiwu_rail_demo",
)


@tagged("post_install", "-at_install")
class TestLeadDemo(TransactionCase):
    """The demo pipeline (loaded only on databases with demo data): each lead is
    qualified, the won one profiled its customer, and the funnel counts them."""

    def setUp(self):
        super().setUp()
        refs = [
            self.env.ref(f"logistics_crm_lead.{xmlid}", raise_if_not_found=False)
            for xmlid in DEMO_LEADS
        ]
        if not all(refs):
            self.skipTest("database without the demo data")
        self.leads = self.env["crm.lead"].union(*refs)
        self.won = refs[DEMO_LEADS.index("crm_lead_oceanfresh_cold_chain_demo")]

    def test_demo_leads_are_qualified(self):
        for lead in self.leads:
            self.assertTrue(lead.logistics_trigger, lead.name)
            self.assertTrue(lead.logistics_service_type_ids, lead.name)
            self.assertTrue(lead.logistics_lanes, lead.name)
            self.assertGreater(lead.logistics_annual_shipments, 0, lead.name)
        self.assertEqual(
            set(self.leads.mapped("logistics_trigger")),
            {"new_service", "unhappy", "growth", "price"},
        )
        self.assertEqual(self.leads.filtered("stage_id.is_won"), self.won)

    def test_demo_won_lead_profiled_its_customer(self):
        customer = self.won.partner_id.with_company(self.won.company_id)
        self.assertEqual(customer.lifecycle_stage, "new")
        self.assertEqual(customer.annual_shipment_estimate, 180)
        self.assertEqual(customer.annual_tonnage_estimate, 3200)
        self.assertEqual(customer.service_type_ids, self.won.logistics_service_type_ids)
        self.assertEqual(
            customer.lane_ids.mapped(lambda lane: (lane.origin, lane.destination)),
            [("Qingdao", "Tokyo"), ("Qingdao", "Busan")],
        )
        self.assertTrue(customer.customer_rank)

    def test_demo_funnel_counts_the_demo_leads(self):
        Funnel = self.env["logistics.lead.funnel"]
        domain = [("lead_id", "in", self.leads.ids)]
        rows = {
            trigger: counts
            for trigger, *counts in Funnel._read_group(
                domain,
                ["logistics_trigger"],
                ["prospect_count:sum", "opportunity_count:sum", "won_count:sum"],
            )
        }
        self.assertEqual(
            rows,
            {
                "unhappy": [1, 1, 0],
                "growth": [1, 1, 1],
                "new_service": [1, 1, 0],
                "price": [2, 1, 0],
            },
        )
        target_year = self.won.partner_id.logistics_target_year
        self.assertTrue(target_year)
        targets_won = Funnel.search(
            [*domain, ("won_count", "=", 1), ("target_year", "=", target_year)]
        )
        self.assertEqual(targets_won.lead_id, self.won)

    def test_demo_renewal_watch_opened_an_opportunity(self):
        lost = self.env.ref("logistics_crm_lead.crm_lead_suzhou_lost_demo")
        account = lost.partner_id
        self.assertFalse(lost.active)
        self.assertEqual(
            account.logistics_provider_contract_end,
            lost.logistics_provider_contract_end,
        )
        renewal = self.env["crm.lead"].search(
            [
                ("partner_id", "=", account.id),
                ("logistics_renewal_contract_end", "!=", False),
            ]
        )
        self.assertEqual(len(renewal), 1)
        self.assertEqual(
            renewal.logistics_renewal_contract_end,
            lost.logistics_provider_contract_end,
        )
        self.assertEqual(renewal.user_id, self.env.ref("base.user_demo"))
        self.assertIn("Yangtze Forwarding", renewal.name)
