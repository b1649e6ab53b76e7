from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LogisticsClaimLine(models.Model):
    """One item of a claim: what was damaged, lost or billed wrong, how much of
    it and the amount claimed."""

    _name = "logistics.claim.line"
    _description = "Claim Line"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "logistics.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    currency_id = fields.Many2one(related="ticket_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="What", required=True)
    quantity = fields.Float(digits="Product Unit of Measure")
    weight = fields.Float(string="Weight (kg)", digits="Stock Weight")
    amount = fields.Monetary(string="Amount Claimed", currency_field="currency_id")

    def unlink(self):
        tickets = self.ticket_id
        result = super().unlink()
        # the total of no line is 0, not the last amount the lines added up to
        tickets.filtered(lambda t: not t.claim_line_ids).write({"claim_amount": 0.0})
        return result

    @api.constrains("quantity", "weight", "amount")
    def _check_positive(self):
        for line in self:
            if line.quantity < 0 or line.weight < 0 or line.amount < 0:
                raise ValidationError(
                    self.env._(
                        "Claim lines cannot have a negative quantity, weight or amount."
                    )
                )
