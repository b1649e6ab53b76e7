from odoo import fields, models
from odoo.tools import SQL

from ..logic import lifecycle


class LogisticsTierPolicy(models.Model):
    """Lifecycle stages from each customer's first and last business."""

    _inherit = "logistics.tier.policy"

    def _update_lifecycle(self, scope, today):
        """Lifecycle of every customer in scope from its first and last business."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, MIN(first_date), MAX(last_date)
                  FROM (
                        SELECT m.commercial_partner_id AS partner_id,
                               MIN(m.invoice_date) AS first_date,
                               MAX(m.invoice_date) AS last_date
                          FROM account_move m
                         WHERE m.company_id = %(company)s
                           AND m.state = 'posted'
                           AND m.move_type = 'out_invoice'
                         GROUP BY m.commercial_partner_id
                        UNION ALL
                        SELECT v.commercial_partner_id, MIN(v.date), MAX(v.date)
                          FROM logistics_volume v
                         WHERE v.company_id = %(company)s
                         GROUP BY v.commercial_partner_id
                       ) dates
                 GROUP BY partner_id
                """,
                company=self.company_id.id,
            )
        )
        dates = {pid: (first, last) for pid, first, last in self.env.cr.fetchall()}
        # the order rhythm: the hand-set interval, else the estimated one
        self.env.cr.execute(
            SQL(
                """
                SELECT t.partner_id, COALESCE(NULLIF(p.order_interval_days, 0),
                                              t.estimated_order_interval_days)
                  FROM logistics_customer_tier t
                  JOIN res_partner p ON p.id = t.partner_id
                 WHERE t.company_id = %(company)s
                """,
                company=self.company_id.id,
            )
        )
        intervals = dict(self.env.cr.fetchall())
        stages = {}
        for pid in scope:
            first, last = dates.get(pid, (None, None))
            stages[pid] = lifecycle.lifecycle_stage(
                first,
                last,
                today,
                self.lifecycle_new_months,
                self.lifecycle_at_risk_months,
                self.lifecycle_lapsed_months,
                interval_days=intervals.get(pid),
            )
        ids = list(stages)
        # the company's accounts of these customers (ranked just before): one UPDATE
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_customer_tier t
                   SET lifecycle_stage = v.stage,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM unnest(%(ids)s::int[], %(stages)s::varchar[]) AS v(id, stage)
                 WHERE t.partner_id = v.id
                   AND t.company_id = %(company)s
                   AND t.lifecycle_stage IS DISTINCT FROM v.stage
                """,
                ids=ids,
                stages=[stages[pid] for pid in ids],
                company=self.company_id.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        self.env["logistics.customer.tier"].invalidate_model(["lifecycle_stage"])
        self._record_lapses(stages, dates)
