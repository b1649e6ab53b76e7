from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_tier_policy_id = fields.Many2one(
        "logistics.tier.policy",
        string="Tier Policy",
        copy=False,
        readonly=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    logistics_claim_approval_limit = fields.Monetary(
        string="Claim Approval Limit",
        currency_field="currency_id",
        default=5000.0,
        help="Logistics CRM users approve claim settlements up to this amount (and "
        "never above the amount claimed); above it a manager approves.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    logistics_ticket_sequence_id = fields.Many2one(
        "ir.sequence",
        string="Service Ticket Sequence",
        copy=False,
        readonly=True,
        groups="base.group_system",
    )

    @api.constrains("logistics_claim_approval_limit")
    def _check_logistics_claim_approval_limit(self):
        for company in self.sudo():
            if company.logistics_claim_approval_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The claim approval limit of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )

    def _logistics_today(self):
        """Today in the company's time zone: a nightly job's "today"."""
        self.ensure_one()
        tz = self.partner_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            self.env["logistics.tier.policy"]._get_company_policy(company)
            # created with the company: two first tickets cannot race to create it
            self.env["logistics.ticket"]._ticket_sequence(company)
        return companies
