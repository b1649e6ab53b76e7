from odoo import api, fields, models
from odoo.exceptions import UserError

from ..compat import search_operands
from .const import WIN_BACK_SELECTION

# partner field -> field of the current company's account
CHURN_FIELDS = {
    "is_lost": "is_lost",
    "churn_date": "churn_date",
    "churn_reason_id": "churn_reason_id",
    "churn_competitor": "churn_competitor",
    "win_back_status": "win_back_status",
}


class ResPartner(models.Model):
    """The churn of the customer's account in the current company."""

    _inherit = "res.partner"

    is_lost = fields.Boolean(
        string="Lost Customer",
        compute="_compute_churn_fields",
        search="_search_is_lost",
        groups="logistics_crm.group_logistics_crm_user",
    )
    churn_date = fields.Date(
        compute="_compute_churn_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    churn_reason_id = fields.Many2one(
        "logistics.churn.reason",
        compute="_compute_churn_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    churn_competitor = fields.Char(
        string="Lost to Competitor",
        compute="_compute_churn_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    win_back_status = fields.Selection(
        WIN_BACK_SELECTION,
        string="Win-Back",
        compute="_compute_churn_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    @api.depends(
        "commercial_partner_id",
        *(
            f"commercial_partner_id.customer_tier_ids.{name}"
            for name in CHURN_FIELDS.values()
        ),
    )
    @api.depends_context("company")
    def _compute_churn_fields(self):
        rows = self.env["logistics.customer.tier"]._account_rows(
            self._origin, self.env.company
        )
        for partner in self:
            row = rows.get(partner._origin.commercial_partner_id.id)
            for name, column in CHURN_FIELDS.items():
                partner[name] = row[column] if row else False

    def _search_is_lost(self, operator, value):
        operator, value = search_operands(operator, value)
        if operator not in ("=", "!="):
            # Odoo 18 takes no NotImplemented from a search method: say it plainly
            raise UserError(
                self.env._(
                    "Lost customers are searched with = or != only, not with "
                    "%(operator)s.",
                    operator=operator,
                )
            )
        lost = self._search_on_company_tier([("is_lost", "=", True)])
        return lost if (operator == "=") == bool(value) else ["!", *lost]

    def action_mark_lost(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as Lost"),
            "res_model": "logistics.churn.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_won_back(self):
        """Record that the customer is back: its account leaves the lost ones,
        the churn date stays for the report."""
        self.ensure_one()
        partner = self.commercial_partner_id
        row = (
            self.env["logistics.customer.tier"]
            ._account_rows(partner, self.env.company)
            .get(partner.id)
        )
        if not row or not row.is_lost:
            raise UserError(
                self.env._(
                    "%(customer)s is not marked as lost.",
                    customer=partner.display_name,
                )
            )
        row._action_won_back()
        return True

    def _close_reengage_activities(self, company, feedback):
        """Mark done the open re-engage activities the company's planner gave
        these customers (assigned to the account's owner there): the decision
        (lost or won back) is what they asked for. Another company's stay."""
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        owners = {
            partner.id: partner._account_owner(policy)
            for partner in self.with_company(company)
        }
        activities = (
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("logistics_crm.mail_activity_type_reengage").id,
                    ),
                ]
            )
            .filtered(lambda activity: activity.user_id == owners.get(activity.res_id))
        )
        if activities:
            activities.action_feedback(feedback=feedback)
