from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.logistics_crm.tests.readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestLeadTour(NoReadWriteRetryMixin, HttpCase):
    """A rep qualifies an opportunity, plans a visit and wins it in the browser,
    then opens the customer and sees its profile filled (checked here too)."""

    def test_rep_takes_a_prospect_to_a_profiled_customer(self):
        company = self.env.company
        new_test_user(
            self.env,
            login="lcrm_lead_tour",
            name="Lead Tour Rep",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "logistics_crm.group_logistics_crm_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        rep = self.env["res.users"].search([("login", "=", "lcrm_lead_tour")])
        prospect = self.env["res.partner"].create(
            {"name": "Tour Prospect Co", "is_company": True}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour opportunity",
                "type": "opportunity",
                "partner_id": prospect.id,
                "user_id": rep.id,
                "company_id": company.id,
            }
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{lead.id}",
            "logistics_crm_lead_tour",
            login="lcrm_lead_tour",
        )
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.logistics_trigger, "unhappy")
        self.assertEqual(len(lead.logistics_visit_ids), 1)
        customer = prospect.with_company(company)
        self.assertEqual(customer.annual_shipment_estimate, 120)
        self.assertEqual(customer.lifecycle_stage, "new")
