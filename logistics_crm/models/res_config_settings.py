from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_tier_policy_id = fields.Many2one(
        related="company_id.logistics_tier_policy_id",
        groups="logistics_crm.group_logistics_crm_manager",
    )
    logistics_tier_metric = fields.Selection(
        related="company_id.logistics_tier_policy_id.metric",
        readonly=False,
        groups="logistics_crm.group_logistics_crm_manager",
    )
    logistics_tier_period_months = fields.Integer(
        related="company_id.logistics_tier_policy_id.period_months",
        readonly=False,
        groups="logistics_crm.group_logistics_crm_manager",
    )
    logistics_tier_method = fields.Selection(
        related="company_id.logistics_tier_policy_id.method",
        readonly=False,
        groups="logistics_crm.group_logistics_crm_manager",
    )

    logistics_claim_approval_limit = fields.Monetary(
        related="company_id.logistics_claim_approval_limit",
        readonly=False,
        currency_field="currency_id",
        groups="logistics_crm.group_logistics_crm_manager",
    )

    def action_open_logistics_tier_policy(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.tier.policy",
            "res_id": self.company_id.logistics_tier_policy_id.id,
            "view_mode": "form",
            "target": "current",
        }
