from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class LogisticsChurnWizard(models.TransientModel):
    _name = "logistics.churn.wizard"
    _description = "Mark a Customer as Lost"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    churn_reason_id = fields.Many2one("logistics.churn.reason", required=True)
    churn_date = fields.Date(required=True, default=fields.Date.context_today)
    churn_competitor = fields.Char(
        string="Lost to Competitor",
        help="The provider the customer moved its business to.",
    )
    churn_note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        # opened from an account of the list: its customer and company
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "logistics.customer.tier":
            row = self.env["logistics.customer.tier"].browse(
                self.env.context.get("active_id")
            )
            if row.exists():
                values.setdefault("partner_id", row.partner_id.id)
                values["company_id"] = row.company_id.id
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.churn_reason_id:
            raise UserError(self.env._("Please give the reason the customer left."))
        if self.churn_date > fields.Date.context_today(self):
            raise UserError(self.env._("The churn date cannot be in the future."))
        if self.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "You can only mark customers as lost in your current companies."
                )
            )
        partner = self.partner_id.commercial_partner_id
        # the user's own right on the customer; the account itself is written
        # by the addon (reps read accounts only)
        partner.check_access("write")
        rows = self.env["logistics.customer.tier"]._account_rows(
            partner, self.company_id, create=True
        )
        rows[partner.id]._mark_lost(
            self.churn_reason_id,
            self.churn_date,
            competitor=self.churn_competitor,
            note=self.churn_note,
        )
        partner._close_reengage_activities(
            self.company_id,
            self.env._("Customer lost: %(reason)s", reason=self.churn_reason_id.name),
        )
        body = self.env._(
            "Customer lost in %(company)s on %(date)s: %(reason)s.",
            company=self.company_id.name,
            date=format_date(self.env, self.churn_date),
            reason=self.churn_reason_id.name,
        )
        details = [
            self.env._("Lost to %(competitor)s.", competitor=self.churn_competitor)
            if self.churn_competitor
            else "",
            self.churn_note or "",
        ]
        partner._logistics_log_note(
            Markup("<br/>").join([body, *filter(None, details)])
        )
        return {"type": "ir.actions.act_window_close"}
