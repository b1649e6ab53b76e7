from odoo import fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """The customer's last relationship survey in the current company, and
    sending one on demand."""

    _inherit = "res.partner"

    survey_date = fields.Date(
        string="Last Survey Answered",
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    survey_score = fields.Float(
        string="Last Survey Score",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    def action_send_relationship_survey(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        account = (
            self.env["logistics.customer.tier"]
            ._account_rows(partner, self.env.company, create=True)
            .get(partner.id)
        )
        if not account:
            raise UserError(self.env._("This contact is not a customer account."))
        return account.with_env(self.env).action_send_relationship_survey()
