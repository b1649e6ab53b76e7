from odoo import fields, models


class AccountMove(models.Model):
    """A credit note drafted by a claim's settlement knows its ticket; cancelling
    or deleting it puts the claim back to a proposed settlement."""

    _inherit = "account.move"

    logistics_ticket_id = fields.Many2one(
        "logistics.ticket",
        string="Service Ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups="account.group_account_invoice",
    )

    def _logistics_claim_credit_notes(self):
        return self.sudo().filtered("logistics_ticket_id")

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "cancel":
            notes = self._logistics_claim_credit_notes()
            notes.logistics_ticket_id._claims_reopened_by(notes.browse())
        return result

    def unlink(self):
        notes = self._logistics_claim_credit_notes()
        tickets = notes.logistics_ticket_id
        tickets._claims_reopened_by(notes)
        return super().unlink()
