from odoo import api, models
from odoo.exceptions import ValidationError


class LogisticsTicket(models.Model):
    """A complaint (delay, damage, billing dispute, complaint) is closed only with
    its root cause: what the complaint statistics and the fixes are built on."""

    _inherit = "logistics.ticket"

    @api.constrains("stage_id", "root_cause", "type_id")
    def _check_complaint_root_cause(self):
        for ticket in self.sudo():
            if ticket.is_closed and ticket.is_complaint and not ticket.root_cause:
                raise ValidationError(
                    self.env._(
                        "Set the root cause of %(ticket)s before closing it: it is a "
                        "complaint.",
                        ticket=ticket.number,
                    )
                )
