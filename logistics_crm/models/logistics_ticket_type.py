from odoo import fields, models


class LogisticsTicketType(models.Model):
    _name = "logistics.ticket.type"
    _description = "Service Ticket Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    is_complaint = fields.Boolean(
        string="Counts as Complaint",
        help="Tickets of this type count in the customer's complaint rate.",
    )
    is_claim = fields.Boolean(
        string="Claim",
        help="Tickets of this type carry claim lines, linked invoices and a "
        "settlement that becomes a credit note (damage, loss, delay, billing).",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the type."
    )
