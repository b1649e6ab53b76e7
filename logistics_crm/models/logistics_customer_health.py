from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..logic import health
from .const import HEALTH_STATUS_SELECTION

SIGNAL_FIELDS = {signal: f"health_{signal}_score" for signal in health.SIGNALS}
# the days of tickets, ratings and visits a health computation looks at
HEALTH_DAYS = 90
# an answered relationship survey counts for two years (they are sent yearly)
SURVEY_DAYS = 730


class LogisticsCustomerTier(models.Model):
    """Health of the account: signals scored 0-100, combined by the policy's
    weights, computed nightly in bulk by the daily planner."""

    _inherit = "logistics.customer.tier"

    health_score = fields.Float(readonly=True, digits=(16, 1), aggregator="avg")
    health_status = fields.Selection(
        HEALTH_STATUS_SELECTION, string="Health", readonly=True, index=True
    )
    health_date = fields.Date(string="Health Computed on", readonly=True)
    health_trend_score = fields.Float(
        string="Revenue Trend", readonly=True, digits=(16, 1)
    )
    health_service_score = fields.Float(
        string="SLA Breaches and Complaints", readonly=True, digits=(16, 1)
    )
    health_satisfaction_score = fields.Float(
        string="Ratings and Visit Satisfaction", readonly=True, digits=(16, 1)
    )
    health_visits_score = fields.Float(
        string="Overdue Visits", readonly=True, digits=(16, 1)
    )
    health_payment_score = fields.Float(string="Payment", readonly=True, digits=(16, 1))
    health_survey_score = fields.Float(
        string="Relationship Survey", readonly=True, digits=(16, 1)
    )
    health_signals_without_data = fields.Char(
        compute="_compute_health_signals_without_data",
        help="The health signals nothing is known of (comma-separated): they read "
        "as no data, not as a score of 0.",
    )
    health_alert_sent = fields.Boolean(readonly=True)
    health_history_ids = fields.One2many("logistics.account.health", "account_id")

    @api.depends(*SIGNAL_FIELDS.values())
    def _compute_health_signals_without_data(self):
        # a Float field reads NULL as 0.0: whether a signal is known is only in
        # the column itself
        missing = self._health_missing_signals(
            SQL("logistics_customer_tier t"), SQL("t.id"), self.ids
        )
        for account in self:
            account.health_signals_without_data = missing.get(account.id, False)

    @api.model
    def _health_missing_signals(self, table, key, ids):
        """{key: "trend,payment"}: the signals without data of the account
        rows `table` (aliased t, joined as needed) gives for `key` in `ids`."""
        ids = [
            record_id for record_id in ids if record_id and isinstance(record_id, int)
        ]
        if not ids:
            return {}
        self.flush_model([*SIGNAL_FIELDS.values(), "health_date"])
        self.env.cr.execute(
            SQL(
                "SELECT %s, %s FROM %s"
                " WHERE t.health_date IS NOT NULL AND %s = ANY(%s)",
                key,
                SQL(", ").join(
                    SQL("%s IS NULL", SQL.identifier("t", column))
                    for column in SIGNAL_FIELDS.values()
                ),
                table,
                key,
                ids,
            )
        )
        return {
            row[0]: ",".join(
                signal
                for signal, is_null in zip(health.SIGNALS, row[1:], strict=True)
                if is_null
            )
            or False
            for row in self.env.cr.fetchall()
        }

    def _health_inputs(self, policy, today):
        """{account id: raw inputs} of the company's accounts, in one query."""
        company = policy.company_id.id
        since = today - timedelta(days=HEALTH_DAYS)
        now = datetime.combine(today, time.max)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH tickets AS (
                    SELECT commercial_partner_id AS pid,
                           -- a breach recorded stays one after the closing;
                           -- an open ticket past its deadline is one already
                           COUNT(*) FILTER (
                               WHERE COALESCE(sla_first_breach_date, sla_breach_date)
                                     BETWEEN %(since)s AND %(now)s)
                               AS breaches,
                           COUNT(*) FILTER (WHERE tt.is_complaint
                                              AND tk.create_date >= %(since)s)
                               AS complaints
                      FROM logistics_ticket tk
                      LEFT JOIN logistics_ticket_type tt ON tt.id = tk.type_id
                     WHERE tk.company_id = %(company)s
                     GROUP BY commercial_partner_id
                ), shipments AS (
                    SELECT commercial_partner_id AS pid, SUM(shipment_count) AS count
                      FROM logistics_volume
                     WHERE company_id = %(company)s AND date >= %(since)s
                     GROUP BY commercial_partner_id
                ), ratings AS (
                    SELECT tk.commercial_partner_id AS pid, AVG(r.rating) AS rating
                      FROM rating_rating r
                      JOIN logistics_ticket tk
                        ON r.res_model = 'logistics.ticket' AND r.res_id = tk.id
                     WHERE tk.company_id = %(company)s AND r.consumed
                       AND r.rating > 0 AND r.write_date >= %(since)s
                     GROUP BY tk.commercial_partner_id
                ), visits AS (
                    SELECT p.commercial_partner_id AS pid,
                           AVG(v.satisfaction::int) FILTER (
                               WHERE v.state = 'done' AND v.done_date >= %(since)s)
                               AS satisfaction,
                           COUNT(*) FILTER (
                               WHERE v.state = 'planned'
                                 AND (v.date < %(today)s
                                      OR v.overdue_since IS NOT NULL)) AS overdue
                      FROM logistics_visit v
                      JOIN res_partner p ON p.id = v.partner_id
                     WHERE v.company_id = %(company)s
                     GROUP BY p.commercial_partner_id
                )
                SELECT t.id, t.trend_percent, t.value,
                       tk.breaches, tk.complaints, s.count, r.rating, v.satisfaction,
                       v.overdue, t.payment_avg_days_late, t.overdue_invoice_count,
                       t.health_score, t.health_status, t.health_alert_sent,
                       CASE WHEN t.survey_date >= %(survey_since)s
                            THEN t.survey_score END
                  FROM logistics_customer_tier t
                  JOIN res_partner p ON p.id = t.partner_id AND p.active
                  LEFT JOIN tickets tk ON tk.pid = t.partner_id
                  LEFT JOIN shipments s ON s.pid = t.partner_id
                  LEFT JOIN ratings r ON r.pid = t.partner_id
                  LEFT JOIN visits v ON v.pid = t.partner_id
                 WHERE t.company_id = %(company)s AND t.tier IS NOT NULL
                """,
                company=company,
                since=since,
                now=now,
                today=today,
                survey_since=today - timedelta(days=SURVEY_DAYS),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _update_health(self, policy, today):
        """Score every ranked account of the company, store what changed, keep
        the history and alert the key-account manager of a fall.

        :return: accounts newly alerted
        """
        weights = policy._health_weights()
        updates, history, alerts = [], [], {}
        for (
            account_id,
            trend_percent,
            value,
            breaches,
            complaints,
            shipments,
            rating,
            visit_satisfaction,
            overdue_visits,
            days_late,
            overdue_invoices,
            old_score,
            old_status,
            alerted,
            survey_score,
        ) in self._health_inputs(policy, today):
            scores = {
                "trend": health.trend_score(trend_percent if value else None),
                "service": health.service_score(breaches, complaints, shipments),
                "satisfaction": health.satisfaction_score(
                    float(rating) if rating else None,
                    float(visit_satisfaction) if visit_satisfaction else None,
                ),
                "visits": health.visits_score(overdue_visits),
                "payment": health.payment_score(days_late, overdue_invoices),
                "survey": survey_score,
            }
            # no revenue, shipments, tickets, ratings, payments or survey:
            # no score (NULL, not 0), neither healthy nor at risk
            score, status = health.assess(
                scores,
                weights,
                policy.health_watch_below,
                policy.health_at_risk_below,
                has_revenue=bool(value),
            )
            fell = status == health.AT_RISK and old_status != health.AT_RISK
            dropped = (
                policy.health_alert_drop_points
                and old_score is not None
                and score is not None
                and old_score - score >= policy.health_alert_drop_points
            )
            if (fell or dropped) and not alerted:
                alerts[account_id] = scores
                alerted = True
            elif status == health.HEALTHY:
                alerted = False  # recovered: the next fall alerts again
            updates.append(
                (
                    account_id,
                    score,
                    status,
                    alerted,
                    *(scores[s] for s in health.SIGNALS),
                )
            )
            if status != old_status or (
                score is not None and abs((old_score or 0.0) - score) >= 1.0
            ):
                history.append((account_id, score, status))
        self._write_health(policy, today, updates, history)
        accounts = self.browse(list(alerts))
        policy._alert_health(accounts, alerts)
        return accounts

    def _write_health(self, policy, today, updates, history):
        if updates:
            columns = list(zip(*updates, strict=True))
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE logistics_customer_tier t
                       SET health_score = v.score, health_status = v.status,
                           health_alert_sent = v.alerted, health_date = %(today)s,
                           health_trend_score = v.trend,
                           health_service_score = v.service,
                           health_satisfaction_score = v.satisfaction,
                           health_visits_score = v.visits,
                           health_payment_score = v.payment,
                           health_survey_score = v.survey
                      FROM unnest(%(ids)s::int[], %(scores)s::float8[],
                                  %(statuses)s::varchar[], %(alerted)s::bool[],
                                  %(trend)s::float8[], %(service)s::float8[],
                                  %(satisfaction)s::float8[], %(visits)s::float8[],
                                  %(payment)s::float8[], %(survey)s::float8[])
                           AS v(id, score, status, alerted, trend, service,
                                satisfaction, visits, payment, survey)
                     WHERE t.id = v.id
                    """,
                    today=today,
                    ids=list(columns[0]),
                    scores=list(columns[1]),
                    statuses=list(columns[2]),
                    alerted=list(columns[3]),
                    trend=list(columns[4]),
                    service=list(columns[5]),
                    satisfaction=list(columns[6]),
                    visits=list(columns[7]),
                    payment=list(columns[8]),
                    survey=list(columns[9]),
                )
            )
        if history:
            columns = list(zip(*history, strict=True))
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO logistics_account_health (
                        account_id, partner_id, company_id, date, score, status,
                        create_uid, create_date, write_uid, write_date)
                    SELECT v.id, t.partner_id, t.company_id, %(today)s, v.score,
                           v.status, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM unnest(%(ids)s::int[], %(scores)s::float8[],
                                  %(statuses)s::varchar[]) AS v(id, score, status)
                      JOIN logistics_customer_tier t ON t.id = v.id
                    """,
                    today=today,
                    ids=list(columns[0]),
                    scores=list(columns[1]),
                    statuses=list(columns[2]),
                    uid=self.env.uid,
                    now=fields.Datetime.now(),
                )
            )
        self.invalidate_model()
        self.env["logistics.account.health"].invalidate_model()
        self.env["res.partner"].invalidate_model(list(HEALTH_PARTNER_FIELDS))


HEALTH_PARTNER_FIELDS = (
    "health_score",
    "health_status",
    "health_signals_without_data",
    *SIGNAL_FIELDS.values(),
)
