from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD
from odoo.addons.logistics_crm.tests.common import LogisticsTierCase, set_shares


@tagged("post_install", "-at_install")
class TestLeadWon(LogisticsTierCase):
    """A qualified opportunity, won, becomes a profiled customer with a
    key-account manager when its expected value ranks it in A or B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sales administrator (19.0's accounting test user has no sales
        # group; 18.0's had every default group)
        cls.env.user[GROUPS_FIELD] |= cls.env.ref("sales_team.group_sale_manager")
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
        self.assertEqual(customer.service_type_ids, other | self.sea, "kept, joined")
        self.assertEqual(customer.annual_shipment_estimate, 12)
        self.assertEqual(customer.annual_tonnage_estimate, 5000.0, "was empty")
        self.assertFalse(customer.key_account_manager_id)

    def test_won_brings_the_lanes_without_duplicates(self):
        contact = self.env["res.partner"].create(
            {"name": "Prospect Buyer", "parent_id": self.prospect.id}
        )
        Lane = self.env["logistics.partner.lane"]
        known = Lane.create(
            [
                {
                    "partner_id": self.prospect.id,
                    "origin": "Shanghai",
                    "destination": "Hamburg",
                },
                {
                    "partner_id": contact.id,
                    "origin": "Ningbo",
                    "destination": "Rotterdam",
                },
            ]
        )
        lead = self._opportunity(
            500.0,
            logistics_lanes="shanghai - HAMBURG, Qingdao → Busan, "
            "Penang - Singapore - Amsterdam, Ningbo  -  Rotterdam",
        )
        lead.action_set_won()
        lanes = Lane.search([("partner_id", "child_of", self.prospect.id)])
        self.assertEqual(
            sorted((lane.origin, lane.destination) for lane in lanes - known),
            [("Penang", "Amsterdam"), ("Qingdao", "Busan")],
        )
        self.assertEqual((lanes - known).partner_id, self.prospect)
        # a second deal on the same lanes adds none
        again = self._opportunity(500.0, logistics_lanes="Qingdao - Busan")
        again.action_set_won()
        self.assertEqual(
            Lane.search_count([("partner_id", "child_of", self.prospect.id)]), 4
        )

    def test_every_qualification_field_reaches_the_profile(self):
        """Each field of the opportunity's Logistics tab either reaches the
        customer's profile or is said here why not: a new field on the tab
        fails this test until it is placed."""
        profile = {
            "logistics_service_type_ids": "service_type_ids",
            "logistics_commodity_category_ids": "commodity_category_ids",
            "logistics_lanes": "lane_ids",
            "logistics_annual_shipments": "annual_shipment_estimate",
            "logistics_annual_tonnes": "annual_tonnage_estimate",
        }
        not_profile = {
            # why the deal was approached: the funnel's, kept on the opportunity
            "logistics_trigger",
            # the former provider: once won the account is ours (renewal watch off)
            "logistics_current_provider",
            "logistics_provider_contract_end",
            "logistics_renewal_contract_end",
        }
        arch = self.env.ref("logistics_crm_lead.crm_lead_view_form_logistics").arch
        tab = etree.fromstring(arch).xpath("//page[@name='logistics']//field/@name")
        self.assertEqual(set(tab), set(profile) | not_profile)
        cold = self.env["logistics.commodity.category"].create({"name": "Test Cold"})
        lead = self._opportunity(
            30000.0,
            logistics_commodity_category_ids=[Command.set(cold.ids)],
            logistics_lanes="Shanghai - Hamburg",
            logistics_provider_contract_end="2027-03-31",
        )
        lead.action_set_won()
        customer = self.prospect.with_company(self.company)
        self.assertEqual(customer.service_type_ids, self.sea)
        self.assertEqual(customer.commodity_category_ids, cold)
        self.assertEqual(
            customer.lane_ids.mapped(lambda lane: (lane.origin, lane.destination)),
            [("Shanghai", "Hamburg")],
        )
        self.assertEqual(customer.annual_shipment_estimate, 240)
        self.assertEqual(customer.annual_tonnage_estimate, 5000.0)
        self.assertFalse(customer.logistics_current_provider)
        self.assertFalse(customer.logistics_provider_contract_end)
        self.assertEqual(lead.logistics_trigger, "unhappy")

    def test_a_rep_without_email_wins_an_a_deal(self):
        """The note on the key-account manager does not need the rep's email
        address: the deal is won, the manager assigned, the note logged."""
        rep = new_test_user(
            self.env,
            login="lcrm_lead_no_email",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "logistics_crm.group_logistics_crm_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        rep.email = False
        lead = self._opportunity(30000.0, user_id=rep.id)
        lead.with_user(rep).action_set_won()
        self.assertTrue(lead.stage_id.is_won)
        customer = self.prospect.with_company(self.company)
        self.assertEqual(customer.key_account_manager_id, self.kam)
        note = lead.message_ids[:1]
        self.assertIn("key-account manager", note.body)
        self.assertEqual(note.author_id, rep.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_target_accounts_of_the_year(self):
        self.prospect.logistics_target_year = 2026
        found = self.env["res.partner"].search(
            [("logistics_target_year", "=", 2026), ("id", "=", self.prospect.id)]
        )
        self.assertEqual(found, self.prospect)
        views = self.env["res.partner"].get_views([(False, "search")])
        self.assertIn("logistics_target_this_year", views["views"]["search"]["arch"])
