from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD
from odoo.addons.logistics_crm.tests.common import LogisticsTierCase


@tagged("post_install", "-at_install")
class TestLeadFunnel(LogisticsTierCase):
    """Prospects -> opportunities -> won -> first invoice -> repeat orders, per
    trigger and rep, and the target accounts won."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sales administrator (19.0's accounting test user has no sales
        # group; 18.0's had every default group)
        cls.env.user[GROUPS_FIELD] |= cls.env.ref("sales_team.group_sale_manager")

    def test_funnel_per_trigger_and_target_accounts(self):
        Lead = self.env["crm.lead"]
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        winner, single, lost = self.env["res.partner"].create(
            [
                {
                    "name": "Funnel Winner",
                    "is_company": True,
                    "logistics_target_year": 2026,
                },
                {"name": "Funnel Single", "is_company": True},
                {"name": "Funnel Lost", "is_company": True},
            ]
        )
        common = {"company_id": self.company.id, "user_id": self.env.uid}
        Lead.create(
            {
                "name": "Just a lead",
                "type": "lead",
                "logistics_trigger": "price",
                **common,
            }
        )
        Lead.create(
            {
                "name": "Open deal",
                "type": "opportunity",
                "partner_id": lost.id,
                "logistics_trigger": "price",
                **common,
            }
        )
        for partner, invoices in ((winner, 2), (single, 1)):
            lead = Lead.create(
                {
                    "name": f"Deal {partner.name}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "logistics_trigger": "unhappy",
                    **common,
                }
            )
            lead.stage_id = won_stage
            for _i in range(invoices):
                self._invoice(partner, 1000.0, lead.date_closed.date())
        Funnel = self.env["logistics.lead.funnel"]
        names = ["Just a lead", "Open deal", "Deal Funnel Winner", "Deal Funnel Single"]
        measures = [
            "prospect_count:sum",
            "opportunity_count:sum",
            "won_count:sum",
            "first_invoice_count:sum",
            "repeat_count:sum",
        ]
        rows = {
            trigger: counts
            for trigger, *counts in Funnel._read_group(
                [
                    (
                        "lead_id.name",
                        "in",
                        names,
                    )
                ],
                ["logistics_trigger"],
                measures,
            )
        }
        self.assertEqual(rows["price"], [2, 1, 0, 0, 0])
        self.assertEqual(rows["unhappy"], [2, 2, 2, 2, 1])
        # this test's leads only: the demo data has target accounts won too
        targets = Funnel.search(
            [
                ("lead_id.name", "in", names),
                ("won_count", "=", 1),
                ("target_year", "=", 2026),
            ]
        )
        self.assertEqual(targets.partner_id, winner)

    def test_target_year_per_company_and_default(self):
        """The funnel reads the target year of the lead's company, or that
        company's default when the prospect has none of its own."""
        other = self.env["res.company"].create({"name": "Funnel Sister"})
        mine, theirs, plain = self.env["res.partner"].create(
            [
                {"name": "Mine Co", "is_company": True},
                {"name": "Theirs Co", "is_company": True},
                {"name": "Plain Co", "is_company": True},
            ]
        )
        mine.logistics_target_year = 2026
        theirs.with_company(other).logistics_target_year = 2026
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Year {partner.name}", "partner_id": partner.id}
                for partner in (mine, theirs, plain)
            ]
        )
        Funnel = self.env["logistics.lead.funnel"]

        def targets():
            Funnel.invalidate_model()
            return Funnel.search(
                [("lead_id", "in", leads.ids), ("target_year", "=", 2026)]
            ).partner_id

        self.assertEqual(targets(), mine)
        self.env["ir.default"].set(
            "res.partner", "logistics_target_year", 2026, company_id=self.company.id
        )
        self.assertEqual(targets(), mine | theirs | plain)
        # an explicit year of its own wins over the default
        theirs.logistics_target_year = 2025
        self.assertEqual(targets(), mine | plain)

    def test_a_salesman_sees_the_funnel_of_own_leads(self):
        salesman = new_test_user(
            self.env,
            login="lcrm_funnel_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        mine, theirs = self.env["crm.lead"].create(
            [
                {"name": "Mine", "user_id": salesman.id, "company_id": self.company.id},
                {
                    "name": "Theirs",
                    "user_id": self.rep.id,
                    "company_id": self.company.id,
                },
            ]
        )
        seen = self.env["logistics.lead.funnel"].with_user(salesman).search([])
        self.assertIn(mine, seen.lead_id)
        self.assertNotIn(theirs, seen.sudo().lead_id)
