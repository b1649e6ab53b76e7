from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.const import grade_selection


class LogisticsTierForceWizard(models.TransientModel):
    _name = "logistics.tier.force.wizard"
    _description = "Force a Customer Tier"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    computed_tier = fields.Selection(grade_selection, compute="_compute_current")
    current_forced_tier = fields.Selection(
        grade_selection, compute="_compute_current", string="Currently Forced"
    )
    forced_tier = fields.Selection(
        grade_selection,
        help="Leave empty to release an override and go back to the computed tier.",
    )
    reason = fields.Text()

    @api.depends("partner_id", "company_id")
    def _compute_current(self):
        for wizard in self:
            row = wizard._customer_tier_row()
            wizard.computed_tier = row.computed_tier
            wizard.current_forced_tier = row.forced_tier

    def _customer_tier_row(self):
        self.ensure_one()
        return self.env["logistics.customer.tier"].search(
            [
                ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
            ],
            limit=1,
        )

    def action_apply(self):
        self.ensure_one()
        if self.forced_tier and not (self.reason or "").strip():
            raise UserError(_("Please give the reason for forcing this tier."))
        CustomerTier = self.env["logistics.customer.tier"]
        # checks the manager's right before anything is written
        CustomerTier.check_access("write")
        row = self._customer_tier_row()
        if not row:
            if not self.forced_tier:
                raise UserError(_("This customer has no forced tier to release."))
            # never recomputed yet: the override starts the customer's row
            row = CustomerTier.create(
                {
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "company_id": self.company_id.id,
                }
            )
        row._set_forced_tier(self.forced_tier, self.reason)
        return {"type": "ir.actions.act_window_close"}
