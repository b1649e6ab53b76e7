from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.logistics_crm.compat import GROUPS_FIELD

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestTicketTour(NoReadWriteRetryMixin, HttpCase):
    def test_rep_handles_ticket_in_backend(self):
        new_test_user(
            self.env,
            login="lcrm_tour_rep",
            name="Tour Rep",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.env["res.partner"].create({"name": "Tour Shipper", "is_company": True})
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_ticket_action",
            "logistics_ticket_tour",
            login="lcrm_tour_rep",
        )
        ticket = self.env["logistics.ticket"].search(
            [("name", "=", "Tour: pallet missing at Rotterdam")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.tracking_number, "TOUR-4711")
        self.assertEqual(
            ticket.stage_id,
            self.env.ref("logistics_crm.logistics_ticket_stage_resolved"),
        )
        self.assertTrue(ticket.closed_date)


@tagged("post_install", "-at_install")
class TestClaimTour(NoReadWriteRetryMixin, AccountTestInvoicingHttpCommon):
    """A rep settles a damage claim of a tiered customer into a credit note."""

    def test_claim_approved_into_a_credit_note(self):
        company = self.company_data["company"]
        self.env.user[GROUPS_FIELD] |= self.env.ref(
            "logistics_crm.group_logistics_crm_manager"
        )
        rep = new_test_user(
            self.env,
            login="lcrm_claim_tour",
            name="Claim Tour Rep",
            groups="base.group_user,logistics_crm.group_logistics_crm_user,"
            "account.group_account_invoice",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        customer = self.env["res.partner"].create(
            {"name": "Claim Tour Shipper", "is_company": True, "customer_rank": 1}
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "company_id": company.id,
                "invoice_date": "2026-10-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Freight",
                            "price_unit": 3000.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self.env["logistics.tier.policy"]._get_company_policy(
            company
        )._recompute_tiers()
        company.logistics_claim_approval_limit = 1000.0
        ticket = self.env["logistics.ticket"].create(
            {
                "name": "Tour: crushed pallets",
                "partner_id": customer.id,
                "company_id": company.id,
                "user_id": rep.id,
                "type_id": self.env.ref(
                    "logistics_crm.logistics_ticket_type_damage"
                ).id,
                "claim_line_ids": [
                    Command.create({"name": "Pallet of tiles", "amount": 900.0})
                ],
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        self.assertTrue(ticket.customer_tier)
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_ticket_action",
            "logistics_claim_tour",
            login="lcrm_claim_tour",
        )
        self.assertEqual(ticket.claim_state, "approved")
        note = ticket.credit_note_ids
        self.assertEqual(note.amount_total, 700.0)
        self.assertEqual(note.reversed_entry_id, invoice)
