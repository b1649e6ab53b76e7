from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
class TestTicketClaims(LogisticsTierCase):
    """A damage claim: lines, linked invoices, a settlement proposed by a rep,
    approved within the rep's limit or by a manager, turned into a credit note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.logistics_claim_approval_limit = 1000.0
        cls.customer = cls._customers(1, prefix="Claiming", customer_rank=1)[0]
        cls.invoice = cls._invoice(cls.customer, 5000.0, "2026-10-01")
        cls.other_invoice = cls._invoice(cls.customer, 800.0, "2026-10-02")
        cls.policy._recompute_tiers()
        billing = "account.group_account_invoice"
        cls.rep[GROUPS_FIELD] |= cls.env.ref(billing)
        cls.manager[GROUPS_FIELD] |= cls.env.ref(billing)
        cls.damage = cls.env.ref("logistics_crm.logistics_ticket_type_damage")

    def _claim(self, user=None, **vals):
        Ticket = self.env["logistics.ticket"].with_user(user or self.rep)
        return Ticket.create(
            {
                "name": "Two pallets crushed",
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "type_id": self.damage.id,
                "claim_line_ids": [
                    Command.create(
                        {
                            "name": "Pallet of tiles",
                            "quantity": 2,
                            "weight": 900,
                            "amount": 1200.0,
                        }
                    ),
                    Command.create({"name": "Repacking", "amount": 300.0}),
                ],
                "invoice_ids": [Command.set(self.invoice.ids)],
                **vals,
            }
        )

    def test_rep_settles_within_limit_into_a_credit_note(self):
        ticket = self._claim()
        self.assertTrue(ticket.is_claim)
        self.assertEqual(ticket.claim_amount, 1500.0)
        self.assertTrue(ticket.customer_tier, "a tiered customer")
        ticket.write({"settlement_method": "negotiation", "settled_amount": 900.0})
        ticket.action_propose_settlement()
        ticket.action_approve_settlement()
        self.assertEqual(ticket.claim_state, "approved")
        self.assertEqual(ticket.settlement_approved_by_id, self.rep)
        note = ticket.credit_note_ids
        self.assertEqual(len(note), 1)
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.state, "draft")
        self.assertEqual(note.amount_total, 900.0)
        self.assertEqual(note.partner_id, self.customer)
        self.assertEqual(note.reversed_entry_id, self.invoice)
        self.assertEqual(note.logistics_ticket_id, ticket)
        self.assertEqual(ticket.credit_note_count, 1)
        self.assertIn(ticket.number, note.ref)
        # cancelling the credit note puts the claim back to proposed
        note.sudo().button_cancel()
        self.assertEqual(ticket.claim_state, "proposed")
        ticket.with_user(self.manager).action_approve_settlement()
        self.assertEqual(ticket.claim_state, "approved")
        self.assertEqual(len(ticket.credit_note_ids), 2)
        ticket.credit_note_ids.filtered(lambda m: m.state == "draft").sudo().unlink()
        self.assertEqual(ticket.claim_state, "proposed")

    def test_a_rep_without_email_approves_a_claim(self):
        """The approval's note does not need the rep's email address: the claim
        is approved, its credit note drafted, the note logged."""
        self.rep.email = False
        ticket = self._claim()
        ticket.write({"settlement_method": "negotiation", "settled_amount": 900.0})
        ticket.action_propose_settlement()
        ticket.action_approve_settlement()
        self.assertEqual(ticket.claim_state, "approved")
        self.assertEqual(len(ticket.credit_note_ids), 1)
        note = ticket.message_ids.filtered(lambda m: "approved" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn(ticket.credit_note_ids.display_name, note.body)
        self.assertEqual(note.author_id, self.rep.partner_id)

    def test_from_the_customers_email_to_a_credit_note(self):
        self.customer.email = "claims@claiming.example.com"
        ticket = (
            self.env["logistics.ticket"]
            .with_company(self.company)
            .message_new(
                {
                    "subject": "Two pallets crushed on delivery",
                    "body": "<p>Photos attached.</p>",
                    "email_from": "claims@claiming.example.com",
                    "from": "claims@claiming.example.com",
                    "to": "service@example.com",
                    "message_id": "<claim-mail@example.com>",
                },
                custom_values={"company_id": self.company.id},
            )
        )
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        ticket.user_id = self.rep  # the desk hands it to a rep
        ticket = ticket.with_user(self.rep)
        ticket.write(
            {
                "type_id": self.damage.id,
                "claim_line_ids": [
                    Command.create({"name": "Pallet of tiles", "amount": 800.0})
                ],
                "invoice_ids": [Command.set(self.invoice.ids)],
                "settlement_method": "negotiation",
                "settled_amount": 600.0,
            }
        )
        ticket.action_propose_settlement()
        ticket.action_approve_settlement()
        self.assertEqual(ticket.credit_note_ids.amount_total, 600.0)
        self.assertEqual(ticket.credit_note_ids.reversed_entry_id, self.invoice)

    def test_manager_approves_above_the_limit_or_the_claim(self):
        ticket = self._claim(
            invoice_ids=[Command.set((self.invoice | self.other_invoice).ids)]
        )
        ticket.write({"settlement_method": "mediation", "settled_amount": 1400.0})
        ticket.action_propose_settlement()
        with self.assertRaisesRegex(UserError, "approval limit"):
            ticket.action_approve_settlement()
        self.assertFalse(ticket.sudo().credit_note_ids, "nothing created")
        self.assertEqual(ticket.claim_state, "proposed")
        ticket.with_user(self.manager).action_approve_settlement()
        note = ticket.sudo().credit_note_ids
        self.assertEqual(note.amount_total, 1400.0)
        self.assertFalse(note.reversed_entry_id, "two invoices: none reversed")
        # above the claim: a manager too
        above = self._claim()
        above.write({"settlement_method": "arbitration", "settled_amount": 1600.0})
        above.action_propose_settlement()
        self.company.logistics_claim_approval_limit = 10000.0
        with self.assertRaises(UserError):
            above.action_approve_settlement()
        above.with_user(self.manager).action_reject_settlement()
        self.assertEqual(above.claim_state, "open")

    def test_the_workflow_moves_only_with_its_buttons(self):
        ticket = self._claim()
        with self.assertRaises(UserError):
            ticket.write({"claim_state": "approved"})
        with self.assertRaises(UserError):
            ticket.write({"settlement_approved_by_id": self.manager.id})
        ticket.write({"settlement_method": "negotiation", "settled_amount": 500.0})
        ticket.action_propose_settlement()
        with self.assertRaises(UserError):
            ticket.settled_amount = 5.0  # proposed: reject it first
        ticket.action_approve_settlement()
        # a second approval cannot draft a second live credit note
        ticket.with_context(logistics_settlement_action=True).write(
            {"claim_state": "proposed"}
        )
        with self.assertRaisesRegex(UserError, "already has a credit note"):
            ticket.action_approve_settlement()
        self.assertEqual(len(ticket.sudo().credit_note_ids), 1)
        # removing every line leaves no stale total
        other = self._claim()
        other.sudo().claim_line_ids.unlink()
        self.assertEqual(other.claim_amount, 0.0)

    def test_reps_see_claim_lines_of_their_tickets_only(self):
        ticket = self._claim(user=self.env.user, user_id=self.manager.id)
        outsider = new_test_user(
            self.env,
            login="lcrm_claim_outsider",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        Line = self.env["logistics.claim.line"].with_user(outsider)
        self.assertFalse(Line.search([("ticket_id", "=", ticket.id)]))

    def test_bad_input_is_refused(self):
        with self.assertRaises(ValidationError):
            self._claim(claim_line_ids=[Command.create({"name": "X", "amount": -5.0})])
        ticket = self._claim()
        with self.assertRaises(ValidationError):
            ticket.settled_amount = -1.0
        with self.assertRaises(UserError):
            ticket.action_propose_settlement()  # no method, no amount
        # another company's invoice, or another customer's
        other_company = self.setup_other_company()["company"]
        foreign = self._invoice(
            self.customer, 100.0, "2026-10-03", company=other_company
        )
        stranger = self._customers(1, prefix="Stranger")[0]
        strangers = self._invoice(stranger, 100.0, "2026-10-03")
        for wrong in (foreign, strangers):
            with self.assertRaises(ValidationError):
                ticket.sudo().invoice_ids = [Command.link(wrong.id)]
        self.assertEqual(ticket.sudo().invoice_ids, self.invoice)

    def test_claims_are_hidden_from_customers_and_outsiders(self):
        ticket = self._claim()
        portal = new_test_user(
            self.env, login="lcrm_claim_portal", groups="base.group_portal"
        )
        for field in ("settled_amount", "claim_line_ids", "invoice_ids"):
            self.assertNotIn(field, ticket.with_user(portal).fields_get())
        # a rep without billing rights handles the claim but sees no invoices
        no_billing = new_test_user(
            self.env,
            login="lcrm_claim_nobilling",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.assertIn("settled_amount", ticket.with_user(no_billing).fields_get())
        self.assertNotIn("invoice_ids", ticket.with_user(no_billing).fields_get())
