from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, format_amount, format_date

from ..logic import order_rhythm
from .const import CREDIT_RATING_SELECTION
from .invoice_sql import posted_customer_invoices


class ResPartner(models.Model):
    """Payment behaviour of the customer in the current company, and the call on
    its payday (the rice merchant collected on each household's payday)."""

    _inherit = "res.partner"

    payment_avg_days = fields.Float(
        string="Average Days to Pay",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    payment_avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    overdue_amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    credit_rating = fields.Selection(
        CREDIT_RATING_SELECTION,
        compute="_compute_account_fields",
        inverse="_inverse_credit_rating",
        search="_search_credit_rating",
        help="Set by a manager, with the payment figures in view.",
        groups="logistics_crm.group_logistics_crm_user",
    )

    def _inverse_credit_rating(self):
        if not self.env.user.has_group("logistics_crm.group_logistics_crm_manager"):
            raise AccessError(
                self.env._(
                    "Only Logistics CRM managers set a customer's credit rating."
                )
            )
        self._write_current_account("credit_rating")

    def _search_credit_rating(self, operator, value):
        return self._search_selection_on_row("credit_rating", operator, value)

    @api.model
    def _plan_collection_calls(self, policy, today):
        """On a customer's payment day, one collection call for its account owner
        listing the invoices due, once per month."""
        month_start = today.replace(day=1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, p.payment_day
                  FROM logistics_customer_tier t
                  JOIN res_partner p ON p.id = t.partner_id
                 WHERE t.company_id = %(company)s AND p.active AND p.is_company
                   AND p.payment_day >= %(earliest)s
                   AND (t.collection_activity_date IS NULL
                        OR t.collection_activity_date < %(month_start)s)
                   AND EXISTS (
                       SELECT 1 FROM account_move m
                        WHERE m.commercial_partner_id = t.partner_id
                          AND %(posted)s
                          AND m.payment_state IN ('not_paid', 'partial')
                          AND m.invoice_date_due <= %(today)s)
                """,
                company=policy.company_id.id,
                posted=posted_customer_invoices(policy.company_id.id, refunds=False),
                # a payment day past the month's end falls on its last day
                earliest=today.day,
                today=today,
                month_start=month_start,
            )
        )
        Account = self.env["logistics.customer.tier"]
        accounts = Account.browse(
            [
                row_id
                for row_id, payment_day in self.env.cr.fetchall()
                if order_rhythm.is_payday(payment_day, today)
            ]
        )
        if not accounts:
            return
        due = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", accounts.partner_id.ids),
                ("company_id", "=", policy.company_id.id),
                ("state", "=", "posted"),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<=", today),
            ],
            order="invoice_date_due, id",
        )
        by_partner = due.grouped("commercial_partner_id")
        accounts = accounts.filtered(lambda a: a.partner_id in by_partner)
        self._create_customer_activities(
            policy,
            accounts.partner_id,
            self.env.ref("logistics_crm.mail_activity_type_collection"),
            lambda p: p.env._(
                "Payday: collect %(amount)s on %(count)s due invoices",
                amount=format_amount(
                    p.env,
                    sum(by_partner[p].mapped("amount_residual_signed")),
                    policy.company_id.currency_id,
                ),
                count=len(by_partner[p]),
            ),
            note=lambda p: Markup("<ul>%s</ul>")
            % Markup().join(
                Markup("<li>%s</li>")
                % p.env._(
                    "%(invoice)s: %(amount)s due on %(date)s",
                    invoice=move.name,
                    amount=format_amount(
                        p.env,
                        move.amount_residual_signed,
                        policy.company_id.currency_id,
                    ),
                    date=format_date(p.env, move.invoice_date_due),
                )
                for move in by_partner[p]
            ),
        )
        accounts.write({"collection_activity_date": today})
