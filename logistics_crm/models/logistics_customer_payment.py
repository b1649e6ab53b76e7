from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .const import CREDIT_RATING_SELECTION
from .invoice_sql import posted_customer_invoices

PAYMENT_COLUMNS = (
    "payment_avg_days",
    "payment_avg_days_late",
    "overdue_amount",
    "overdue_invoice_count",
)


class LogisticsCustomerTier(models.Model):
    """How the customer pays this company: from its reconciled and open invoices
    (Odoo's own receivables, company currency), refreshed by the daily planner."""

    _inherit = "logistics.customer.tier"

    payment_avg_days = fields.Float(
        string="Average Days to Pay",
        digits=(16, 1),
        readonly=True,
        help="From the invoice date to the payment, over the invoices of the last "
        "12 months paid in full.",
    )
    payment_avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        help="Days past the due date at payment, on average (0 for invoices paid "
        "on time), over the same invoices.",
    )
    overdue_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        aggregator="sum",
        help="Open amount of the customer's invoices past their due date (credit "
        "notes subtracted).",
    )
    overdue_invoice_count = fields.Integer(string="Overdue Invoices", readonly=True)
    credit_rating = fields.Selection(
        CREDIT_RATING_SELECTION,
        help="Set by a manager, with the payment figures in view.",
    )
    collection_activity_date = fields.Date(
        readonly=True, help="Payday on which a collection call was last planned."
    )

    @api.model
    def _update_payment_behaviour(self, policy, today):
        """Store the payment figures of every account of the policy's company in
        one statement; only rows whose figures changed are written."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH moves AS (
                    SELECT m.id, m.commercial_partner_id AS pid, m.move_type,
                           m.invoice_date, m.invoice_date_due, m.payment_state,
                           m.amount_residual_signed
                      FROM account_move m
                     WHERE %(posted)s
                ), paid AS (
                    SELECT mv.pid, mv.invoice_date, mv.invoice_date_due,
                           MAX(apr.max_date) AS paid_on
                      FROM moves mv
                      JOIN account_move_line l
                        ON l.move_id = mv.id AND l.display_type = 'payment_term'
                      JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                     WHERE mv.move_type = 'out_invoice'
                       AND mv.payment_state IN ('paid', 'in_payment')
                       AND mv.invoice_date > %(since)s
                     GROUP BY mv.id, mv.pid, mv.invoice_date, mv.invoice_date_due
                ), behaviour AS (
                    SELECT pid,
                           AVG(GREATEST(paid_on - invoice_date, 0)) AS avg_days,
                           AVG(GREATEST(paid_on - invoice_date_due, 0)) AS avg_late
                      FROM paid GROUP BY pid
                ), overdue AS (
                    SELECT pid, SUM(amount_residual_signed) AS amount,
                           COUNT(*) FILTER (WHERE move_type = 'out_invoice') AS count
                      FROM moves
                     WHERE payment_state NOT IN ('paid', 'in_payment', 'reversed')
                       AND invoice_date_due < %(today)s
                       AND amount_residual_signed != 0
                     GROUP BY pid
                ), figures AS (
                    SELECT t.id, ROUND(b.avg_days, 1) AS avg_days,
                           ROUND(b.avg_late, 1) AS avg_late,
                           GREATEST(COALESCE(o.amount, 0), 0) AS amount,
                           COALESCE(o.count, 0) AS count
                      FROM logistics_customer_tier t
                      LEFT JOIN behaviour b ON b.pid = t.partner_id
                      LEFT JOIN overdue o ON o.pid = t.partner_id
                     WHERE t.company_id = %(company)s
                )
                UPDATE logistics_customer_tier t
                   SET payment_avg_days = f.avg_days,
                       payment_avg_days_late = f.avg_late,
                       overdue_amount = f.amount,
                       overdue_invoice_count = f.count
                  FROM figures f
                 WHERE t.id = f.id
                   AND (t.payment_avg_days IS DISTINCT FROM f.avg_days
                        OR t.payment_avg_days_late IS DISTINCT FROM f.avg_late
                        OR t.overdue_amount IS DISTINCT FROM f.amount
                        OR t.overdue_invoice_count IS DISTINCT FROM f.count)
                """,
                company=policy.company_id.id,
                posted=posted_customer_invoices(policy.company_id.id),
                since=today - relativedelta(months=12),
                today=today,
            )
        )
        self.invalidate_model(list(PAYMENT_COLUMNS))
        # the partners show them: written in SQL, so their cache goes too
        self.env["res.partner"].invalidate_model(list(PAYMENT_COLUMNS[:3]))
