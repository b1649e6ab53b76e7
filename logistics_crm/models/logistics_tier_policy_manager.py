from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..compat import Constraint


class LogisticsTierPolicyManager(models.Model):
    """A key-account manager of the policy's pool, with the load they can carry."""

    _name = "logistics.tier.policy.manager"
    _description = "Key-Account Manager Pool Member"
    _order = "policy_id, id"

    policy_id = fields.Many2one(
        "logistics.tier.policy", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        required=True,
        domain="[('share', '=', False)]",
    )
    capacity = fields.Integer(
        default=30,
        help="Load points this manager can carry: each account weighs its tier's "
        "load weight (e.g. A = 3, B = 2).",
    )
    current_load = fields.Integer(compute="_compute_current_load")

    _policy_user_uniq = Constraint(
        "unique(policy_id, user_id)",
        "A manager is in the pool once.",
    )

    @api.constrains("capacity")
    def _check_capacity(self):
        for member in self:
            if member.capacity < 0:
                raise ValidationError(_("A manager's capacity cannot be negative."))

    @api.constrains("user_id")
    def _check_user(self):
        for member in self:
            if member.user_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is a portal user and cannot be a key-account "
                        "manager.",
                        user=member.user_id.name,
                    )
                )

    def _compute_current_load(self):
        loads = {}
        for policy in self.policy_id:
            loads.update(
                {
                    (policy.id, uid): load
                    for uid, load in policy._manager_loads().items()
                }
            )
        for member in self:
            member.current_load = loads.get((member.policy_id.id, member.user_id.id), 0)
