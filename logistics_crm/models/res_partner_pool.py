from odoo import api, fields, models
from odoo.exceptions import UserError

from ..compat import search_operands
from .const import POOL_REASON_SELECTION


class ResPartner(models.Model):
    """The customer pool on the customer: who owns it in the current company, or
    why it is in the pool, and the buttons to claim and return it."""

    _inherit = "res.partner"

    account_owner_id = fields.Many2one(
        "res.users",
        compute="_compute_account_fields",
        search="_search_account_owner_id",
        help="The rep this customer belongs to in the current company; empty: "
        "the customer is in the company's pool.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    in_customer_pool = fields.Boolean(
        compute="_compute_in_customer_pool",
        search="_search_in_customer_pool",
        groups="logistics_crm.group_logistics_crm_user",
    )
    pool_protected = fields.Boolean(
        string="Protected",
        compute="_compute_account_fields",
        inverse="_inverse_pool_protected",
        help="Never returns to the pool on its own (signed contract, key account).",
        groups="logistics_crm.group_logistics_crm_user",
    )
    pool_date = fields.Datetime(
        string="In Pool Since",
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    pool_reason = fields.Selection(
        POOL_REASON_SELECTION,
        string="Why in the Pool",
        compute="_compute_account_fields",
        search="_search_pool_reason",
        groups="logistics_crm.group_logistics_crm_user",
    )
    pool_previous_owner_id = fields.Many2one(
        "res.users",
        string="Former Owner",
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    pool_claim_blocked_until = fields.Date(
        string="Former Owner Waits Until",
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    last_followup_date = fields.Date(
        string="Last Follow-Up",
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A customer a rep creates (form or import) is theirs: they are its
        salesperson unless one is given, and its account in each of their
        companies starts with them as owner. Customers created by Odoo itself
        (users, companies, portal sign-ups, jobs) are left as they are."""
        if (
            not self.env.su
            and not self.env.context.get("install_mode")
            and self.env.user.has_group("logistics_crm.group_logistics_crm_user")
        ):
            customers_menu = (
                self.env.context.get("res_partner_search_mode") == "customer"
            )
            for vals in vals_list:
                is_customer = (
                    vals.get("is_company")
                    or vals.get("customer_rank")
                    or customers_menu
                )
                if is_customer and not vals.get("parent_id") and "user_id" not in vals:
                    vals["user_id"] = self.env.uid
        return super().create(vals_list)

    @api.depends("account_owner_id")
    @api.depends_context("company")
    def _compute_in_customer_pool(self):
        rows = self.env["logistics.customer.tier"]._account_rows(self, self.env.company)
        for partner in self:
            row = rows.get(partner.commercial_partner_id.id)
            partner.in_customer_pool = bool(row and not row.owner_id)

    def _search_account_owner_id(self, operator, value):
        return self._search_team_role("owner_id", operator, value)

    def _search_pool_reason(self, operator, value):
        return self._search_selection_on_row("pool_reason", operator, value)

    def _search_in_customer_pool(self, operator, value):
        operator, value = search_operands(operator, value)
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the customer pool."))
        in_pool = self._search_on_company_tier([("owner_id", "=", False)])
        return in_pool if (operator == "=") == value else ["!", *in_pool]

    def _inverse_pool_protected(self):
        if not self.env.user.has_group("logistics_crm.group_logistics_crm_manager"):
            raise UserError(
                self.env._("Only a manager can protect a customer from the pool.")
            )
        self._write_current_account("pool_protected")

    def _logistics_pool_accounts(self):
        """The current company's accounts of the customers, created when
        missing (a new customer starts in its owner's hands or in the pool)."""
        Account = self.env["logistics.customer.tier"].sudo()
        rows = Account._account_rows(self, self.env.company, create=True)
        return Account.browse([row.id for row in rows.values()])

    def action_logistics_pool_claim(self):
        accounts = self._logistics_pool_accounts()
        accounts._pool_claim()
        return self._logistics_pool_notification(
            self.env._(
                "%(count)s customers claimed: they are yours now.",
                count=len(accounts),
            )
        )

    def action_logistics_pool_return(self):
        accounts = self._logistics_pool_accounts().filtered("owner_id")
        if not accounts:
            raise UserError(self.env._("These customers are already in the pool."))
        accounts.action_pool_return()
        return self._logistics_pool_notification(
            self.env._("%(count)s customers returned to the pool.", count=len(accounts))
        )

    def _logistics_pool_notification(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
