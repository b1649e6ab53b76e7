from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .const import PRIORITY_SELECTION, TIER_SELECTION


class LogisticsTierPolicyLine(models.Model):
    _name = "logistics.tier.policy.line"
    _description = "Tier Service Level"
    _order = "policy_id, tier"

    policy_id = fields.Many2one(
        "logistics.tier.policy", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    tier = fields.Selection(TIER_SELECTION, required=True)
    visit_interval_days = fields.Integer(
        help="Days between two visits of the key-account manager; 0: no visits."
    )
    executive_visit_interval_days = fields.Integer(
        help="Days between two visits of the executive sponsor; 0: none."
    )
    ticket_priority = fields.Selection(PRIORITY_SELECTION, required=True, default="1")
    account_load_weight = fields.Integer(
        string="Load Weight",
        default=1,
        help="Load points one account of this tier adds to its manager.",
    )
    key_account_required = fields.Boolean(
        string="Dedicated Key-Account Manager",
        help="Customers of this tier get a dedicated key-account manager.",
    )
    proactive_activities = fields.Boolean(
        help="Proactive-contact and re-engage activities for the customers of this "
        "tier. Off for C by default: general customers get basic, low-effort "
        "service.",
    )

    _sql_constraints = [
        (
            "policy_tier_uniq",
            "unique(policy_id, tier)",
            "A policy has one service level per tier.",
        ),
    ]

    @api.constrains("visit_interval_days", "executive_visit_interval_days")
    def _check_intervals(self):
        for line in self:
            if line.visit_interval_days < 0 or line.executive_visit_interval_days < 0:
                raise ValidationError(_("Visit intervals cannot be negative."))
