from odoo import api, fields, models

from .res_company import TZ_SOURCES


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

    logistics_block_duplicate_customers = fields.Boolean(
        related="company_id.logistics_block_duplicate_customers",
        readonly=False,
        groups="logistics_crm.group_logistics_crm_manager",
    )

    logistics_company_tz = fields.Selection(
        string="Company Time Zone",
        related="company_id.partner_id.tz",
        readonly=False,
        help="The company's clock: its nightly jobs' day and night, and the zone "
        "its SLA working hours should count in. Empty: the company's working "
        "hours' zone, else its users' most common one, else UTC.",
        groups="logistics_crm.group_logistics_crm_manager",
    )
    logistics_tz_in_use = fields.Char(
        string="Time Zone in Use",
        compute="_compute_logistics_tz_in_use",
        groups="logistics_crm.group_logistics_crm_manager",
    )
    logistics_tz_source = fields.Selection(
        TZ_SOURCES,
        string="Time Zone Taken From",
        compute="_compute_logistics_tz_in_use",
        groups="logistics_crm.group_logistics_crm_manager",
    )
    logistics_calendar_tz_warning = fields.Char(
        string="Working Hours in Another Time Zone",
        compute="_compute_logistics_tz_in_use",
        groups="logistics_crm.group_logistics_crm_manager",
    )

    @api.depends("company_id", "logistics_company_tz")
    def _compute_logistics_tz_in_use(self):
        for settings in self:
            company = settings.company_id
            tz, source = company._logistics_tz_source()
            if settings.logistics_company_tz:
                tz, source = settings.logistics_company_tz, "company"
            settings.logistics_tz_in_use = tz
            settings.logistics_tz_source = source
            settings.logistics_calendar_tz_warning = (
                company._logistics_calendar_tz_warning(company.resource_calendar_id, tz)
            )

    def action_logistics_calendar_in_company_tz(self):
        """The company's working hours in the company's zone (saved first)."""
        self.ensure_one()
        self.execute()
        self.company_id._logistics_use_calendar_in_company_tz()
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_open_logistics_tier_policy(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.tier.policy",
            "res_id": self.company_id.logistics_tier_policy_id.id,
            "view_mode": "form",
            "target": "current",
        }
