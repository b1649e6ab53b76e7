from odoo import fields, models


class LogisticsTicketStage(models.Model):
    _name = "logistics.ticket.stage"
    _description = "Service Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Tickets in this stage are done: the resolution target is reached.",
    )
    pauses_sla = fields.Boolean(
        string="Pauses the SLA Clock",
        help="Working hours spent in this stage (e.g. waiting on the customer) "
        "do not count against the SLA: the deadlines move by that much.",
    )
    rating_template_id = fields.Many2one(
        "mail.template",
        string="Rating Request",
        domain="[('model', '=', 'logistics.ticket')]",
        help="Sent to the customer when a ticket reaches this stage.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the stage."
    )
