from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..logic import churn as churn_logic
from ..logic import lifecycle
from .invoice_sql import posted_customer_invoices

# the churn of an account is open: lost, or lapsed and not back since
OPEN_CHURN = SQL(
    "(COALESCE(t.is_lost, FALSE)"
    " OR (t.churn_date IS NOT NULL AND t.won_back_date IS NULL))"
)


class LogisticsTierPolicy(models.Model):
    """Churn rate of the company's customers per period, from the churn dates
    recorded on the accounts (not from today's lifecycle).

    Churn is a customer marked as lost or one that lapsed (no business for the
    policy's lapsed months): the lifecycle update records a lapse as the
    account's churn, on the day it lapsed, with the reason "Lapsed (no reason
    recorded)" (unless the account is lost already), and its return as a
    win-back. So each customer churns once, and every figure (rate, breakdown,
    report, export) reads the same dates.
    """

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
    # no customer active at the quarter's start: no rate (not 0%)
    dashboard_churn_known = fields.Boolean(
        string="Churn Rate Known this Quarter", compute="_compute_dashboard_churn"
    )
    dashboard_churn_previous_known = fields.Boolean(
        string="Churn Rate Known last Quarter", compute="_compute_dashboard_churn"
    )

    def _record_lapses(self, stages, dates):
        """Record the lapses and the returns of the lifecycle just computed.

        A newly lapsed account (no lapse recorded since its last business) gets
        its lapse day; when its churn is not open it churns on that day with the
        reason "Lapsed (no reason recorded)". An account back in business after
        a lapse is won back on its first business since. Two bulk UPDATEs of the
        company's accounts.

        :param stages: {partner id: lifecycle stage}
        :param dates: {partner id: (first business, last business)}
        """
        self.ensure_one()
        company = self.company_id.id
        lapsed, back = [], []
        for pid, stage in stages.items():
            last = dates.get(pid, (None, None))[1]
            if not last:
                continue
            if stage == lifecycle.LAPSED:
                lapsed.append(
                    (
                        pid,
                        lifecycle.lapse_date(last, self.lifecycle_lapsed_months),
                        last,
                    )
                )
            else:
                back.append((pid, last))
        Account = self.env["logistics.customer.tier"]
        Account.flush_model()
        now = fields.Datetime.now()
        if back:
            pids, lasts = zip(*back, strict=True)
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE logistics_customer_tier t
                       SET win_back_status = 'won_back',
                           won_back_date = (
                               SELECT MIN(day) FROM (
                                   SELECT m.invoice_date AS day
                                     FROM account_move m
                                    WHERE %(invoiced)s
                                      AND m.commercial_partner_id = t.partner_id
                                      AND m.invoice_date >= t.churn_date
                                   UNION ALL
                                   SELECT v.date FROM logistics_volume v
                                    WHERE v.company_id = %(company)s
                                      AND v.commercial_partner_id = t.partner_id
                                      AND v.date >= t.churn_date) business),
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(lasts)s::date[]) AS v(pid, last)
                     WHERE t.partner_id = v.pid AND t.company_id = %(company)s
                       AND NOT COALESCE(t.is_lost, FALSE)
                       AND t.churn_date IS NOT NULL AND t.won_back_date IS NULL
                       AND v.last >= t.churn_date
                    """,
                    invoiced=posted_customer_invoices(company, "m", refunds=False),
                    company=company,
                    ids=list(pids),
                    lasts=list(lasts),
                    uid=self.env.uid,
                    now=now,
                )
            )
        if lapsed:
            pids, days, lasts = zip(*lapsed, strict=True)
            reason = self.env.ref(
                "logistics_crm.logistics_churn_reason_lapsed", raise_if_not_found=False
            )
            # a churn already open (lost, or lapsed and not back) stays as it is;
            # a win-back recorded after this lapse day keeps the customer back
            record = SQL(
                "NOT %s AND (t.won_back_date IS NULL OR t.won_back_date < v.day)",
                OPEN_CHURN,
            )
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE logistics_customer_tier t
                       SET lapsed_date = v.day,
                           churn_date = CASE WHEN %(record)s THEN v.day
                                             ELSE t.churn_date END,
                           churn_reason_id = CASE WHEN %(record)s THEN %(reason)s
                                                  ELSE t.churn_reason_id END,
                           churn_tier = CASE WHEN %(record)s THEN t.tier
                                             ELSE t.churn_tier END,
                           churn_competitor = CASE WHEN %(record)s THEN NULL
                                                   ELSE t.churn_competitor END,
                           churn_note = CASE WHEN %(record)s THEN NULL
                                             ELSE t.churn_note END,
                           win_back_status = CASE WHEN %(record)s THEN 'none'
                                                  ELSE t.win_back_status END,
                           won_back_date = CASE WHEN %(record)s THEN NULL
                                                ELSE t.won_back_date END,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(days)s::date[],
                                  %(lasts)s::date[]) AS v(pid, day, last)
                     WHERE t.partner_id = v.pid AND t.company_id = %(company)s
                       AND (t.lapsed_date IS NULL OR t.lapsed_date <= v.last)
                    """,
                    record=record,
                    reason=reason.id if reason else None,
                    company=company,
                    ids=list(pids),
                    days=list(days),
                    lasts=list(lasts),
                    uid=self.env.uid,
                    now=now,
                )
            )
        Account.invalidate_model()

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
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM (%s) active",
                self._active_customers_sql(date_from),
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

    def _active_customers_sql(self, date_from):
        """SQL of the partner ids active at `date_from`: invoiced or with a
        volume statement in the 12 months before, and not lost then."""
        company = self.company_id.id
        return SQL(
            """
            SELECT active.partner_id
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
            start=date_from - relativedelta(months=12),
            date_from=date_from,
            company=company,
        )

    def _churn_breakdown(self, date_from, date_to):
        """One row per customer active at `date_from` or lost in the period, with
        its tier and key-account manager at `date_from` (from the tier history and
        the assignment history, not today's values): what churn rates per tier
        and per manager are counted from.

        :return: [{"partner_id", "tier", "manager_id", "active", "lost"}]
        """
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH population AS (
                    SELECT partner_id, TRUE AS active, FALSE AS lost
                      FROM (%(active)s) a
                    UNION ALL
                    SELECT partner_id, FALSE, TRUE
                      FROM logistics_customer_tier
                     WHERE company_id = %(company)s
                       AND churn_date BETWEEN %(date_from)s AND %(date_to)s
                ), customers AS (
                    SELECT partner_id, bool_or(active) AS active, bool_or(lost) AS lost
                      FROM population GROUP BY partner_id
                )
                SELECT c.partner_id, c.active, c.lost,
                       CASE WHEN hb.found THEN hb.new_tier
                            WHEN ha.found THEN ha.previous_tier
                            ELSE COALESCE(t.churn_tier, t.tier) END,
                       CASE WHEN ab.found THEN ab.to_user_id
                            WHEN aa.found THEN aa.from_user_id
                            ELSE t.key_account_manager_id END
                  FROM customers c
                  LEFT JOIN logistics_customer_tier t
                    ON t.partner_id = c.partner_id AND t.company_id = %(company)s
                  LEFT JOIN LATERAL (
                        SELECT TRUE AS found, h.new_tier FROM logistics_tier_history h
                         WHERE h.partner_id = c.partner_id
                           AND h.company_id = %(company)s AND h.date < %(date_from)s
                         ORDER BY h.date DESC, h.id DESC LIMIT 1) hb ON TRUE
                  LEFT JOIN LATERAL (
                        SELECT TRUE AS found, h.previous_tier
                          FROM logistics_tier_history h
                         WHERE h.partner_id = c.partner_id
                           AND h.company_id = %(company)s AND h.date >= %(date_from)s
                         ORDER BY h.date, h.id LIMIT 1) ha ON TRUE
                  LEFT JOIN LATERAL (
                        SELECT TRUE AS found, a.to_user_id
                          FROM logistics_account_assignment a
                         WHERE a.account_id = t.id
                           AND a.role = 'key_account_manager_id'
                           AND a.date < %(date_from)s
                         ORDER BY a.date DESC, a.id DESC LIMIT 1) ab ON TRUE
                  LEFT JOIN LATERAL (
                        SELECT TRUE AS found, a.from_user_id
                          FROM logistics_account_assignment a
                         WHERE a.account_id = t.id
                           AND a.role = 'key_account_manager_id'
                           AND a.date >= %(date_from)s
                         ORDER BY a.date, a.id LIMIT 1) aa ON TRUE
                """,
                active=self._active_customers_sql(date_from),
                company=self.company_id.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return [
            {
                "partner_id": partner_id,
                "active": active,
                "lost": lost,
                "tier": tier or False,
                "manager_id": manager_id or False,
            }
            for partner_id, active, lost, tier, manager_id in self.env.cr.fetchall()
        ]

    def _churn_rate(self, date_from, date_to):
        """Customers lost in the period / customers active at its start (0..1);
        None when nobody was active (no rate, not 0%)."""
        lost, active = self._churn_counts(date_from, date_to)
        return churn_logic.rate(lost, active)

    @api.model
    def _quarter_start(self, day):
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)

    def _compute_dashboard_churn(self):
        today = fields.Date.context_today(self)
        this_quarter = self._quarter_start(today)
        last_quarter = this_quarter - relativedelta(months=3)
        for policy in self:
            rate = policy._churn_rate(this_quarter, today)
            previous = policy._churn_rate(
                last_quarter, this_quarter - relativedelta(days=1)
            )
            policy.dashboard_churn_rate = 100.0 * (rate or 0.0)
            policy.dashboard_churn_known = rate is not None
            policy.dashboard_churn_rate_previous = 100.0 * (previous or 0.0)
            policy.dashboard_churn_previous_known = previous is not None

    @api.readonly
    def action_open_churn_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_churn_report_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
