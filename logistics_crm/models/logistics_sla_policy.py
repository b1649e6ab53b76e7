from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .const import PRIORITY_SELECTION, grade_selection


class LogisticsSlaPolicy(models.Model):
    _name = "logistics.sla.policy"
    _description = "Service-Level Agreement Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    tier = fields.Selection(grade_selection, help="Empty: any tier.")
    priority = fields.Selection(PRIORITY_SELECTION, help="Empty: any priority.")
    type_id = fields.Many2one(
        "logistics.ticket.type",
        string="Ticket Type",
        check_company=True,
        help="Empty: any type.",
    )
    team_id = fields.Many2one(
        "logistics.ticket.team", check_company=True, help="Empty: any team."
    )
    response_hours = fields.Float(
        string="First Response (working hours)",
        help="Working hours from the ticket's creation to the first answer; "
        "0: no target.",
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)",
        help="Working hours from the ticket's creation to its resolution; "
        "0: no target.",
    )
    at_risk_percent = fields.Float(
        string="At Risk Below (%)",
        default=20.0,
        help="A ticket is at risk when less than this share of a target is left.",
    )

    @api.constrains("tier", "company_id")
    def _check_tier(self):
        Grade = self.env["logistics.customer.grade"]
        for policy in self.filtered("tier"):
            if policy.tier not in Grade._grade_order(policy.company_id):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: grade %(grade)s is not one of the "
                        "grades of %(company)s.",
                        policy=policy.name,
                        grade=policy.tier,
                        company=policy.company_id.name,
                    )
                )

    @api.constrains("response_hours", "resolution_hours", "at_risk_percent")
    def _check_targets(self):
        for policy in self:
            if policy.response_hours < 0 or policy.resolution_hours < 0:
                raise ValidationError(
                    _(
                        "The targets of SLA policy %(policy)s cannot be negative.",
                        policy=policy.name,
                    )
                )
            if not 0 <= policy.at_risk_percent <= 100:
                raise ValidationError(
                    _(
                        "The at-risk threshold of SLA policy %(policy)s must be "
                        "between 0 and 100%%, not %(percent)s.",
                        policy=policy.name,
                        percent=policy.at_risk_percent,
                    )
                )

    def _match_values(self):
        return [
            {
                "id": policy.id,
                "sequence": policy.sequence,
                "tier": policy.tier,
                "priority": policy.priority,
                "type_id": policy.type_id.id,
                "team_id": policy.team_id.id,
            }
            for policy in self
        ]
