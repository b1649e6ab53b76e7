from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .const import WIN_BACK_SELECTION, grade_selection


class LogisticsCustomerTier(models.Model):
    """Churn of the account: lost on a date for a reason, and the win-back.

    The lifecycle stays computed from invoices (logistics_tier_policy_lifecycle);
    being lost is a decision a person records, so it lives in its own fields that
    the recompute never writes. Winning a customer back clears `is_lost` but keeps
    the churn date and reason: the churn report still counts the month it was lost.
    A customer that lapses churns too (see `_record_lapses` of the policy): on the
    day it lapsed, with the reason "Lapsed (no reason recorded)" until a person
    gives one.
    """

    _inherit = "logistics.customer.tier"

    is_lost = fields.Boolean(
        string="Lost Customer", readonly=True, index="btree_not_null"
    )
    churn_date = fields.Date(readonly=True, index="btree_not_null")
    churn_reason_id = fields.Many2one(
        "logistics.churn.reason", readonly=True, ondelete="restrict"
    )
    churn_competitor = fields.Char(
        string="Lost to Competitor",
        readonly=True,
        help="The provider the customer moved its business to.",
    )
    churn_note = fields.Text(readonly=True)
    churn_tier = fields.Selection(
        grade_selection,
        string="Tier When Lost",
        readonly=True,
        help="The customer's tier on the day it was marked as lost.",
    )
    # empty until the account is lost; not required: the recompute inserts
    # accounts in bulk SQL, without ORM defaults
    win_back_status = fields.Selection(WIN_BACK_SELECTION, string="Win-Back")
    won_back_date = fields.Date(readonly=True)
    lapsed_date = fields.Date(
        string="Lapsed On",
        readonly=True,
        help="The day the customer's last lapse began (no business for the policy's "
        "lapsed months); kept when it buys again.",
    )

    def _method_only_fields(self):
        # what the churn was when it happened: _mark_lost and _mark_won_back write it
        return [*super()._method_only_fields(), "churn_tier", "won_back_date"]

    @api.constrains("is_lost", "churn_date", "churn_reason_id")
    def _check_churn(self):
        user_today = fields.Date.context_today(self)
        for row in self:
            # the user's today, or the company's when it is later: a nightly job
            # records the company's date whatever the time zone of its user
            today = max(user_today, row.company_id._logistics_today())
            if row.is_lost and not (row.churn_date and row.churn_reason_id):
                raise ValidationError(
                    self.env._(
                        "%(customer)s can only be lost with a churn date and a "
                        "reason: use Mark as Lost.",
                        customer=row.partner_id.display_name,
                    )
                )
            if row.churn_date and row.churn_date > today:
                raise ValidationError(
                    self.env._("The churn date cannot be in the future.")
                )

    @api.constrains("win_back_status", "is_lost", "churn_date")
    def _check_win_back_status(self):
        for row in self.filtered("win_back_status"):
            if not row.churn_date:
                raise ValidationError(
                    self.env._(
                        "%(customer)s was never lost: only a lost customer has a "
                        "win-back status.",
                        customer=row.partner_id.display_name,
                    )
                )
            if row.is_lost and row.win_back_status == "won_back":
                raise ValidationError(
                    self.env._(
                        "%(customer)s is still marked as lost: record its return "
                        "with Customer Won Back.",
                        customer=row.partner_id.display_name,
                    )
                )

    def _mark_lost(self, reason, date, competitor=False, note=False):
        """Record the churn of these accounts (rights checked by the caller)."""
        already = self.filtered("is_lost")
        if already:
            raise UserError(
                self.env._(
                    "%(customer)s is already marked as lost.",
                    customer=", ".join(already.partner_id.mapped("display_name")),
                )
            )
        for row in self:
            churn_date, tier = fields.Date.to_date(date), row.tier
            if row.churn_date and not row.won_back_date:
                # lapsed and not back since: it churned on the day it lapsed
                churn_date = min(row.churn_date, churn_date)
                tier = row.churn_tier or tier
            row.sudo().write(
                {
                    "is_lost": True,
                    "churn_date": churn_date,
                    "churn_reason_id": reason.id,
                    "churn_competitor": competitor or False,
                    "churn_note": note or False,
                    "churn_tier": tier or False,
                    "win_back_status": "none",
                    "won_back_date": False,
                }
            )

    def _mark_won_back(self, date):
        not_lost = self.filtered(lambda row: not row.is_lost)
        if not_lost:
            raise UserError(
                self.env._(
                    "%(customer)s is not marked as lost.",
                    customer=", ".join(not_lost.partner_id.mapped("display_name")),
                )
            )
        self.sudo().write(
            {"is_lost": False, "win_back_status": "won_back", "won_back_date": date}
        )

    def action_mark_lost(self):
        self.ensure_one()
        action = self.partner_id.action_mark_lost()
        action["context"]["default_company_id"] = self.company_id.id
        return action

    def action_won_back(self):
        self.ensure_one()
        self._action_won_back()
        return True

    def _action_won_back(self):
        """Won back today: leaves the lost accounts, closes the re-engage
        activities and tells the customer's chatter."""
        self.ensure_one()
        partner = self.partner_id
        # the user's own right on the customer; the account is the addon's
        partner.check_access("write")
        self._mark_won_back(fields.Date.context_today(self))
        partner._close_reengage_activities(
            self.company_id, self.env._("Customer won back.")
        )
        partner._logistics_log_note(
            self.env._("Won back in %(company)s.", company=self.company_id.name)
        )
