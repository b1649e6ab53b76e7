from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..logic import abc_ranking
from .const import VOLUME_COLUMNS, WEIGHT_FIELDS
from .invoice_sql import posted_customer_invoices

TREND_MONTHS = 3


class LogisticsTierPolicy(models.Model):
    """Customer values from SQL aggregates: invoices, statements, years, trends."""

    _inherit = "logistics.tier.policy"

    def _invoice_values(self, date_from, date_to):
        """{commercial partner: invoiced revenue between the dates}, for every
        partner ever invoiced by the company (0 when nothing in the period).

        One pass over the company's posted customer invoices serves both the
        revenue metric and the scope of the ranking.
        """
        self.env.cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       COALESCE(SUM(m.amount_untaxed_signed) FILTER (
                           WHERE m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                       ), 0)
                  FROM account_move m
                 WHERE %(invoices)s
                 GROUP BY m.commercial_partner_id
                """,
                invoices=posted_customer_invoices(self.company_id.id),
                date_from=date_from,
                date_to=date_to,
            )
        )
        return {pid: float(value) for pid, value in self.env.cr.fetchall()}

    def _get_scope_partner_ids(self, invoiced):
        """Commercial partners that are customers of the company.

        In scope: partners with posted customer invoices (the keys of `invoiced`)
        or volume statements in the company, and partners marked as customers
        (customer rank) that belong to the company, or are shared and do business
        with no other company yet.
        """
        self.ensure_one()
        company = self.company_id.id
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT commercial_partner_id FROM logistics_volume "
                "WHERE company_id = %s",
                company,
            )
        )
        with_business_here = set(invoiced).union(r[0] for r in self.env.cr.fetchall())
        with_business_elsewhere = set()
        if self.env["res.company"].sudo().search_count([]) > 1:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT m.commercial_partner_id
                      FROM account_move m
                     WHERE m.company_id != %(company)s
                       AND %(invoices)s
                     UNION
                    SELECT DISTINCT v.commercial_partner_id
                      FROM logistics_volume v
                     WHERE v.company_id != %(company)s
                    """,
                    company=company,
                    invoices=posted_customer_invoices(),
                )
            )
            with_business_elsewhere = {row[0] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.company_id, p.customer_rank > 0
                  FROM res_partner p
                 WHERE p.active
                   AND p.id = p.commercial_partner_id
                   AND (p.company_id IS NULL OR p.company_id = %s)
                """,
                company,
            )
        )
        return [
            partner_id
            for partner_id, partner_company, is_customer in self.env.cr.fetchall()
            if partner_id in with_business_here
            or (
                is_customer
                and (
                    partner_company == company
                    or partner_id not in with_business_elsewhere
                )
            )
        ]

    def _period_bounds(self, today, months=None):
        date_from = today - relativedelta(months=months or self.period_months)
        return date_from + timedelta(days=1), today

    def _compute_values(self, scope, today):
        """{partner id: value} over the trailing period, for every partner in scope."""
        self.ensure_one()
        if self.metric == "weighted":
            inputs = {
                metric: self._metric_values(metric, today)
                for metric, weight_field in WEIGHT_FIELDS.items()
                if self[weight_field]
            }
            weights = {metric: self[WEIGHT_FIELDS[metric]] for metric in inputs}
            scoped = {
                metric: {pid: per.get(pid, 0.0) for pid in scope}
                for metric, per in inputs.items()
            }
            return abc_ranking.weighted_mix(scoped, weights)
        per_partner = self._metric_values(self.metric, today)
        return {pid: per_partner.get(pid, 0.0) for pid in scope}

    def _metric_values(self, metric, today, date_from=None, date_to=None):
        """{commercial partner id: value} of one metric, from SQL aggregates."""
        if date_from is None:
            date_from, date_to = self._period_bounds(today)
        company = self.company_id.id
        if metric == "invoice_revenue":
            return {
                pid: value
                for pid, value in self._invoice_values(date_from, date_to).items()
                if value
            }
        if metric in VOLUME_COLUMNS:
            query = SQL(
                """
                SELECT v.commercial_partner_id, SUM(%(column)s)
                  FROM logistics_volume v
                 WHERE v.company_id = %(company)s
                   AND v.date BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY v.commercial_partner_id
                """,
                column=SQL.identifier("v", VOLUME_COLUMNS[metric]),
                company=company,
                date_from=date_from.replace(day=1),
                date_to=date_to,
            )
        elif metric == "relationship_years":
            query = SQL(
                """
                SELECT partner_id, (%(today)s::date - MIN(first_date)) / 365.25
                  FROM (
                        SELECT m.commercial_partner_id AS partner_id,
                               MIN(m.invoice_date) AS first_date
                          FROM account_move m
                         WHERE %(invoices)s
                         GROUP BY m.commercial_partner_id
                        UNION ALL
                        SELECT v.commercial_partner_id, MIN(v.date)
                          FROM logistics_volume v
                         WHERE v.company_id = %(company)s
                         GROUP BY v.commercial_partner_id
                       ) firsts
                 GROUP BY partner_id
                """,
                today=today,
                company=company,
                invoices=posted_customer_invoices(company, refunds=False),
            )
        else:
            raise UserError(_("Unknown tier metric %(metric)s.", metric=metric))
        self.env.cr.execute(query)
        return {pid: float(value or 0.0) for pid, value in self.env.cr.fetchall()}

    def _trend_values(self, today):
        """({partner: value of the last 3 months}, {partner: the 3 months before}).

        One pass over the last six months of the trend metric's documents.
        """
        metric = self._trend_metric()
        recent_from = today - relativedelta(months=TREND_MONTHS) + timedelta(days=1)
        before_from = today - relativedelta(months=2 * TREND_MONTHS) + timedelta(days=1)
        if metric != "invoice_revenue":
            # statements are monthly: a month belongs to the window it starts in
            recent_from = recent_from.replace(day=1)
        if metric == "invoice_revenue":
            source = SQL(
                """
                SELECT m.commercial_partner_id AS partner_id,
                       m.invoice_date AS day, m.amount_untaxed_signed AS value
                  FROM account_move m
                 WHERE %(invoices)s
                   AND m.invoice_date BETWEEN %(start)s AND %(today)s
                """,
                invoices=posted_customer_invoices(self.company_id.id),
                start=before_from,
                today=today,
            )
        else:
            source = SQL(
                """
                SELECT v.commercial_partner_id AS partner_id, v.date AS day,
                       %(column)s AS value
                  FROM logistics_volume v
                 WHERE v.company_id = %(company)s
                   AND v.date BETWEEN %(start)s AND %(today)s
                """,
                column=SQL.identifier("v", VOLUME_COLUMNS[metric]),
                company=self.company_id.id,
                start=before_from.replace(day=1),
                today=today,
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id,
                       SUM(value) FILTER (WHERE day >= %(recent_from)s),
                       SUM(value) FILTER (WHERE day < %(recent_from)s)
                  FROM (%(source)s) docs
                 GROUP BY partner_id
                """,
                recent_from=recent_from,
                source=source,
            )
        )
        recent, before = {}, {}
        for pid, recent_value, before_value in self.env.cr.fetchall():
            if recent_value:
                recent[pid] = float(recent_value)
            if before_value:
                before[pid] = float(before_value)
        return recent, before

    def _trend_metric(self):
        """Trends compare money or volume: years of relationship cannot drop."""
        if self.metric in ("invoice_revenue", *VOLUME_COLUMNS):
            return self.metric
        return "invoice_revenue"
