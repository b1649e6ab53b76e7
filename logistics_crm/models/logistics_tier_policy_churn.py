from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .invoice_sql import posted_customer_invoices


class LogisticsTierPolicy(models.Model):
    """Churn rate of the company's customers per period, from the churn dates
    recorded on the accounts (not from today's lifecycle)."""

    _inherit = "logistics.tier.policy"

    dashboard_churn_rate = fields.Float(
        string="Churn Rate This Quarter (%)",
        compute="_compute_dashboard_churn",
        digits=(16, 1),
    )
    dashboard_churn_rate_previous = fields.Float(
        string="Churn Rate Last Quarter (%)",
        compute="_compute_dashboard_churn",
        digits=(16, 1),
    )

    def _churn_counts(self, date_from, date_to):
        """(customers lost in [date_from, date_to], customers active at date_from).

        Active at the start: a posted customer invoice or a volume statement in
        the 12 months before `date_from`, and not lost at `date_from` (lost before
        it and not won back by then). Lost in the period: every account whose
        churn date falls in it, won back since or not, so a past period keeps its
        rate when a customer comes back later.
        """
        self.ensure_one()
        company = self.company_id.id
        Account = self.env["logistics.customer.tier"]
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "company_id",
                "commercial_partner_id",
                "invoice_date",
            ]
        )
        self.env["logistics.volume"].flush_model(
            ["company_id", "commercial_partner_id", "date"]
        )
        Account.flush_model(["partner_id", "company_id", "churn_date", "won_back_date"])
        start = date_from - relativedelta(months=12)
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*)
                  FROM (
                        SELECT m.commercial_partner_id AS partner_id
                          FROM account_move m
                         WHERE %(invoiced)s
                           AND m.invoice_date >= %(start)s
                           AND m.invoice_date < %(date_from)s
                        UNION
                        SELECT v.commercial_partner_id
                          FROM logistics_volume v
                         WHERE v.company_id = %(company)s
                           AND v.date >= %(start)s
                           AND v.date < %(date_from)s
                       ) active
                  LEFT JOIN logistics_customer_tier t
                    ON t.partner_id = active.partner_id
                   AND t.company_id = %(company)s
                 WHERE NOT COALESCE(
                        t.churn_date < %(date_from)s
                        AND (t.won_back_date IS NULL
                             OR t.won_back_date >= %(date_from)s),
                        FALSE)
                """,
                invoiced=posted_customer_invoices(company, "m", refunds=False),
                start=start,
                date_from=date_from,
                company=company,
            )
        )
        active = self.env.cr.fetchone()[0]
        lost = Account.sudo().search_count(
            [
                ("company_id", "=", company),
                ("churn_date", ">=", date_from),
                ("churn_date", "<=", date_to),
            ]
        )
        return lost, active

    def _churn_rate(self, date_from, date_to):
        """Customers lost in the period / customers active at its start (0..1);
        0.0 when nobody was active."""
        lost, active = self._churn_counts(date_from, date_to)
        return lost / active if active else 0.0

    @api.model
    def _quarter_start(self, day):
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)

    def _compute_dashboard_churn(self):
        today = fields.Date.context_today(self)
        this_quarter = self._quarter_start(today)
        last_quarter = this_quarter - relativedelta(months=3)
        for policy in self:
            policy.dashboard_churn_rate = 100.0 * policy._churn_rate(
                this_quarter, today
            )
            policy.dashboard_churn_rate_previous = 100.0 * policy._churn_rate(
                last_quarter, this_quarter - relativedelta(days=1)
            )

    def action_open_churn_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_churn_report_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
