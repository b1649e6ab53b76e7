import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..logic import abc_ranking, lifecycle

_logger = logging.getLogger(__name__)

METRIC_SELECTION = [
    ("invoice_revenue", "Invoiced Revenue"),
    ("volume_revenue", "Statement Revenue"),
    ("volume_shipments", "Shipments"),
    ("volume_tonnes", "Weight (tonnes)"),
    ("relationship_years", "Years of Relationship"),
    ("weighted", "Weighted Mix"),
]
WEIGHT_FIELDS = {
    "invoice_revenue": "weight_invoice_revenue",
    "volume_revenue": "weight_volume_revenue",
    "volume_shipments": "weight_volume_shipments",
    "volume_tonnes": "weight_volume_tonnes",
    "relationship_years": "weight_relationship_years",
}
VOLUME_COLUMNS = {
    "volume_revenue": "revenue",
    "volume_shipments": "shipment_count",
    "volume_tonnes": "weight_tonnes",
}
DEFAULT_SERVICE_LEVELS = [
    # tier, visit interval, executive visit interval, ticket priority, dedicated KAM,
    # load weight of one account for its manager
    ("A", 30, 90, "3", True, 3),
    ("B", 90, 180, "2", True, 2),
    ("C", 0, 0, "1", False, 1),
]
TREND_MONTHS = 3
# first key of the advisory lock taken by a recompute (second key: the policy id)
RECOMPUTE_LOCK_NAMESPACE = 0x4C43524D  # "LCRM"


class LogisticsTierPolicy(models.Model):
    _name = "logistics.tier.policy"
    _description = "Customer Tier Policy"
    _inherit = ["mail.thread"]
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: self.env._("ABC Tiers"))
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    metric = fields.Selection(
        METRIC_SELECTION, required=True, default="invoice_revenue", tracking=True
    )
    period_months = fields.Integer(
        string="Period (months)",
        required=True,
        default=12,
        tracking=True,
        help="Customers are ranked on the value of the trailing N months.",
    )
    method = fields.Selection(
        [
            (abc_ranking.BY_CUSTOMER_SHARE, "Share of Customers"),
            (abc_ranking.BY_VALUE_SHARE, "Share of Value (Pareto)"),
        ],
        required=True,
        default=abc_ranking.BY_CUSTOMER_SHARE,
        tracking=True,
        help="Share of customers: the top A% of customers ranked by value are A, "
        "the next B% are B. Share of value: the customers making the first A% of "
        "the total value are A, those making the next B% are B.",
    )
    a_threshold = fields.Float(
        string="A Threshold (%)", required=True, default=5.0, tracking=True
    )
    b_threshold = fields.Float(
        string="B Threshold (%)",
        required=True,
        default=15.0,
        tracking=True,
        help="Share on top of A: with A = 5 and B = 15, B covers the top 20% minus A.",
    )
    weight_invoice_revenue = fields.Float(default=1.0)
    weight_volume_revenue = fields.Float(default=0.0)
    weight_volume_shipments = fields.Float(default=0.0)
    weight_volume_tonnes = fields.Float(default=0.0)
    weight_relationship_years = fields.Float(default=0.0)
    at_risk_drop_percent = fields.Float(
        string="At-Risk Drop (%)",
        default=30.0,
        help="An A or B customer whose value of the last 3 months fell by more than "
        "this share against the 3 months before is flagged at risk.",
    )
    rising_star_growth_percent = fields.Float(
        string="Rising-Star Growth (%)",
        default=50.0,
        help="A C customer whose value of the last 3 months grew by more than this "
        "share against the 3 months before is flagged as a rising star.",
    )
    lifecycle_new_months = fields.Integer(
        string="New for (months)",
        default=6,
        help="A customer whose first business is younger than this is new.",
    )
    lifecycle_at_risk_months = fields.Integer(
        string="At Risk after (months)",
        default=3,
        help="A customer without business for this many months is at risk.",
    )
    lifecycle_lapsed_months = fields.Integer(
        string="Lapsed after (months)",
        default=12,
        help="A customer without business for this many months has lapsed.",
    )
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Receives tier alerts of customers without a key-account manager.",
    )
    line_ids = fields.One2many(
        "logistics.tier.policy.line", "policy_id", string="Service Levels"
    )
    manager_ids = fields.One2many(
        "logistics.tier.policy.manager",
        "policy_id",
        string="Key-Account Manager Pool",
        help="Customers entering a tier that needs a dedicated manager get one from "
        "this pool, balancing the load and respecting each manager's capacity.",
    )
    proactive_notice_days = fields.Integer(
        default=3,
        help="A proactive-contact activity is created this many days before a "
        "customer's expected next order.",
    )
    reengage_months = fields.Integer(
        string="Re-engage after (months)",
        default=12,
        help="Customers without an invoice for this many months get a re-engage "
        "activity, once.",
    )
    birthday_notice_days = fields.Integer(
        default=3, help="Birthday greetings are planned this many days before."
    )
    last_recompute_date = fields.Datetime(readonly=True, copy=False)
    last_recompute_summary = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        (
            "company_uniq",
            "unique(company_id)",
            "A company has a single tier policy.",
        ),
    ]

    @api.constrains("a_threshold", "b_threshold")
    def _check_thresholds(self):
        for policy in self:
            if abc_ranking.validate_thresholds(policy.a_threshold, policy.b_threshold):
                raise ValidationError(
                    _(
                        "Tier thresholds must satisfy 0 < A < A + B <= 100 "
                        "(A = %(a)s, B = %(b)s).",
                        a=policy.a_threshold,
                        b=policy.b_threshold,
                    )
                )

    @api.constrains("period_months")
    def _check_period_months(self):
        for policy in self:
            if policy.period_months < 1:
                raise ValidationError(_("The tier period must be at least one month."))

    @api.constrains(*WEIGHT_FIELDS.values(), "metric")
    def _check_weights(self):
        for policy in self:
            weights = [policy[name] for name in WEIGHT_FIELDS.values()]
            if any(weight < 0 for weight in weights):
                raise ValidationError(_("Metric weights cannot be negative."))
            if policy.metric == "weighted" and not any(weights):
                raise ValidationError(
                    _("A weighted mix needs at least one weight above zero.")
                )

    @api.constrains(
        "lifecycle_new_months", "lifecycle_at_risk_months", "lifecycle_lapsed_months"
    )
    def _check_lifecycle_months(self):
        for policy in self:
            error = lifecycle.validate_lifecycle_months(
                policy.lifecycle_new_months,
                policy.lifecycle_at_risk_months,
                policy.lifecycle_lapsed_months,
            )
            if error:
                raise ValidationError(
                    _(
                        "Lifecycle thresholds must be positive, and at risk "
                        "(%(at_risk)s months) must come before lapsed "
                        "(%(lapsed)s months).",
                        at_risk=policy.lifecycle_at_risk_months,
                        lapsed=policy.lifecycle_lapsed_months,
                    )
                )

    @api.constrains("at_risk_drop_percent", "rising_star_growth_percent")
    def _check_alert_percents(self):
        for policy in self:
            if policy.at_risk_drop_percent < 0 or policy.rising_star_growth_percent < 0:
                raise ValidationError(_("Alert percentages cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault(
                "line_ids",
                [
                    fields.Command.create(
                        {
                            "tier": tier,
                            "visit_interval_days": visit,
                            "executive_visit_interval_days": executive,
                            "ticket_priority": priority,
                            "key_account_required": dedicated,
                            "account_load_weight": weight,
                        }
                    )
                    for tier, visit, executive, priority, dedicated, weight in (
                        DEFAULT_SERVICE_LEVELS
                    )
                ],
            )
        policies = super().create(vals_list)
        for policy in policies:
            policy.company_id.logistics_tier_policy_id = policy
        return policies

    @api.model
    def _get_company_policy(self, company):
        """The company's policy, created with the defaults on first use."""
        policy = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not policy:
            policy = (
                self.sudo()
                .with_company(company)
                .create(
                    {
                        "company_id": company.id,
                        "responsible_user_id": self.env.ref(
                            "base.user_admin", raise_if_not_found=False
                        ).id
                        or self.env.user.id,
                    }
                )
            )
        return policy.sudo(False)

    def _service_level(self, tier):
        self.ensure_one()
        return self.line_ids.filtered(lambda line: line.tier == tier)[:1]

    # ------------------------------------------------------------------
    # Recompute
    # ------------------------------------------------------------------
    def action_recompute(self):
        # the recompute writes through SQL: check the manager's right explicitly
        self.check_access("write")
        summaries = []
        for policy in self:
            summaries.append(policy._recompute_tiers(source="manual"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Customer tiers recomputed"),
                "message": "\n".join(summaries),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_recompute_tiers(self):
        policies = self.sudo().search([])
        for done, policy in enumerate(policies, start=1):
            try:
                policy._recompute_tiers(source="cron")
            except UserError as error:
                # another recompute holds this company's lock: it does the work
                _logger.info("Tier recompute skipped: %s", error)
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(policies) - done
            )

    def _lock_for_recompute(self):
        """Two recomputes of one company never both write.

        A transaction-level advisory lock per policy: taken at once or refused at
        once (no waiting for a long run only to redo the same work), and released
        by PostgreSQL when the transaction ends, however it ends.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                RECOMPUTE_LOCK_NAMESPACE,
                self.id,
            )
        )
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                _(
                    "Customer tiers of %(company)s are being recomputed right now. "
                    "Try again when that run is finished.",
                    company=self.sudo().company_id.name,
                )
            )

    def _recompute_tiers(self, source="manual", today=None):
        """Rank the company's customers and write tiers, history and alerts.

        Runs in the caller's transaction: either everything is written or nothing.
        :return: a one-line, translated summary
        """
        self.ensure_one()
        self._lock_for_recompute()
        today = today or fields.Date.context_today(self)
        scope, results, changes = self._rank_and_store_tiers(source, today)
        if scope:
            self._update_lifecycle(scope, today)
            self._create_alerts(scope, changes, today)
            self._auto_assign_key_accounts()
            self.env["logistics.visit"]._schedule_visits(policy=self, today=today)
        summary = self._recompute_summary(results, changes)
        self.sudo().write(
            {
                "last_recompute_date": fields.Datetime.now(),
                "last_recompute_summary": summary,
            }
        )
        return summary

    def _recompute_summary(self, results, changes):
        if not results:
            return _(
                "%(company)s: no customers in scope, nothing changed.",
                company=self.company_id.name,
            )
        counts = dict.fromkeys(abc_ranking.TIERS, 0)
        for result in results.values():
            counts[result.tier] += 1
        return _(
            "%(company)s: %(count)s customers ranked (A: %(a)s, B: %(b)s, C: %(c)s), "
            "%(changed)s tier changes.",
            company=self.company_id.name,
            count=len(results),
            a=counts["A"],
            b=counts["B"],
            c=counts["C"],
            changed=len(changes),
        )

    def _rank_and_store_tiers(self, source, today):
        """The tier step of a recompute: values, ranking, tier rows and history.

        :return: (scope partner ids, {partner id: TierResult}, tier changes)
        """
        self.ensure_one()
        self.env.flush_all()
        invoiced = self._invoice_values(*self._period_bounds(today))
        scope = self._get_scope_partner_ids(invoiced)
        if not scope:
            return scope, {}, {}
        if self.metric == "invoice_revenue":
            values = {pid: invoiced.get(pid, 0.0) for pid in scope}
        else:
            values = self._compute_values(scope, today)
        results = abc_ranking.assign_tiers(
            values, self.a_threshold, self.b_threshold, self.method
        )
        changes = self.env["logistics.customer.tier"]._apply_computed_tiers(
            self, values, results, source
        )
        return scope, results, changes

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
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                 GROUP BY m.commercial_partner_id
                """,
                company=self.company_id.id,
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
                       AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                     UNION
                    SELECT DISTINCT v.commercial_partner_id
                      FROM logistics_volume v
                     WHERE v.company_id != %(company)s
                    """,
                    company=company,
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
                         WHERE m.company_id = %(company)s
                           AND m.state = 'posted'
                           AND m.move_type = 'out_invoice'
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
                 WHERE m.company_id = %(company)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date BETWEEN %(start)s AND %(today)s
                """,
                company=self.company_id.id,
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
            )
        ids = list(stages)
        # contacts carry their company's lifecycle (a commercial field): one UPDATE
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET lifecycle_stage = v.stage
                  FROM unnest(%(ids)s::int[], %(stages)s::varchar[]) AS v(id, stage)
                 WHERE p.commercial_partner_id = v.id
                   AND p.lifecycle_stage IS DISTINCT FROM v.stage
                """,
                ids=ids,
                stages=[stages[pid] for pid in ids],
            )
        )
        self.env["res.partner"].invalidate_model(["lifecycle_stage"])

    def _create_alerts(self, scope, changes, today):
        """Activities for tier moves, at-risk A/B and rising-star C customers."""
        self.ensure_one()
        CustomerTier = self.env["logistics.customer.tier"]
        recent, before = self._trend_values(today)
        candidates = set(recent) | set(before)
        rows = CustomerTier._current_rows(self.company_id)
        new_trends = {}
        for pid in candidates & set(scope):
            row = rows.get(pid)
            if not row:
                continue
            growth = abc_ranking.growth_percent(recent.get(pid, 0.0), before.get(pid))
            trend = False
            if growth is not None:
                if row["tier"] in ("A", "B") and growth < -self.at_risk_drop_percent:
                    trend = "at_risk"
                elif row["tier"] == "C" and growth > self.rising_star_growth_percent:
                    trend = "rising_star"
            new_trends[pid] = (trend, growth)
        for pid, row in rows.items():
            if row["trend"] and pid not in new_trends:
                new_trends[pid] = (False, None)
        newly_flagged = CustomerTier._write_trends(self.company_id, rows, new_trends)
        self._schedule_alert_activities(changes, newly_flagged, today)

    def _schedule_alert_activities(self, changes, newly_flagged, today):
        activity_vals = []
        partners = self.env["res.partner"].browse(set(changes) | set(newly_flagged))
        types = {
            "tier_change": self.env.ref("logistics_crm.mail_activity_type_tier_change"),
            "at_risk": self.env.ref("logistics_crm.mail_activity_type_at_risk"),
            "rising_star": self.env.ref("logistics_crm.mail_activity_type_rising_star"),
        }
        tier_labels = dict(
            self.env["logistics.customer.tier"]
            ._fields["tier"]
            ._description_selection(self.env)
        )
        for partner in partners:
            user = partner.key_account_manager_id or self.responsible_user_id
            if not user:
                continue
            if partner.id in changes:
                previous, new = changes[partner.id]
                direction = abc_ranking.tier_direction(previous, new)
                if direction:
                    labels = {"old": tier_labels[previous], "new": tier_labels[new]}
                    summary = (
                        _("Tier up: %(old)s → %(new)s", **labels)
                        if direction == "up"
                        else _("Tier down: %(old)s → %(new)s", **labels)
                    )
                    activity_vals.append(
                        self._alert_vals(
                            types["tier_change"],
                            partner,
                            user,
                            summary,
                        )
                    )
            trend_growth = newly_flagged.get(partner.id)
            if trend_growth:
                trend, growth = trend_growth
                percent = round(abs(growth))
                summary = (
                    _(
                        "At risk: value down %(percent)s%% over 3 months",
                        percent=percent,
                    )
                    if trend == "at_risk"
                    else _(
                        "Rising star: value up %(percent)s%% over 3 months",
                        percent=percent,
                    )
                )
                activity_vals.append(
                    self._alert_vals(types[trend], partner, user, summary)
                )
        if activity_vals:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(activity_vals)

    def _alert_vals(self, activity_type, partner, user, summary):
        return {
            "activity_type_id": activity_type.id,
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": partner.id,
            "user_id": user.id,
            "summary": summary,
            "date_deadline": activity_type._get_date_deadline(),
        }

    # ------------------------------------------------------------------
    # Key-account assignment
    # ------------------------------------------------------------------
    def _load_weights(self):
        return {line.tier: line.account_load_weight for line in self.line_ids}

    def _manager_loads(self):
        """{user id: load points} of the accounts each user manages in the company."""
        self.ensure_one()
        weights = self._load_weights()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.key_account_manager_id, ct.tier, COUNT(*)
                  FROM res_partner p
                  JOIN logistics_customer_tier ct
                    ON ct.partner_id = p.id AND ct.company_id = %s
                 WHERE p.key_account_manager_id IS NOT NULL AND p.active
                 GROUP BY p.key_account_manager_id, ct.tier
                """,
                self.company_id.id,
            )
        )
        loads = {}
        for user_id, tier, count in self.env.cr.fetchall():
            loads[user_id] = loads.get(user_id, 0) + weights.get(tier, 0) * count
        return loads

    def action_auto_assign_key_accounts(self):
        self.check_access("write")
        for policy in self:
            policy._auto_assign_key_accounts()
        return True

    def _auto_assign_key_accounts(self):
        """Give a manager from the pool to customers whose tier needs one.

        The least-loaded manager (load / capacity) who can take the account's
        weight gets it; customers that already have a manager keep theirs. When
        nobody has room, the policy's responsible gets an activity instead.
        :return: (assigned partners, partners left without manager)
        """
        self.ensure_one()
        Partner = self.env["res.partner"]
        if not self.manager_ids:
            # no pool configured: automatic assignment is off
            return Partner, Partner
        needing_tiers = [
            line.tier for line in self.line_ids if line.key_account_required
        ]
        if not needing_tiers:
            return Partner, Partner
        rows = (
            self.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("tier", "in", needing_tiers),
                    ("partner_id.key_account_manager_id", "=", False),
                    ("partner_id.active", "=", True),
                ],
                order="value desc, id",
            )
        )
        if not rows:
            return Partner, Partner
        weights = self._load_weights()
        loads = self._manager_loads()
        pool = {
            member.user_id: member.capacity
            for member in self.manager_ids
            if member.user_id.active
        }
        assignments = {}
        unassigned = Partner
        for row in rows:
            weight = weights.get(row.tier, 1)
            candidates = [
                (loads.get(user.id, 0) / capacity, loads.get(user.id, 0), user.id, user)
                for user, capacity in pool.items()
                if capacity and loads.get(user.id, 0) + weight <= capacity
            ]
            if not candidates:
                unassigned |= row.partner_id
                continue
            user = min(candidates, key=lambda c: c[:3])[3]
            loads[user.id] = loads.get(user.id, 0) + weight
            assignments.setdefault(user, Partner)
            assignments[user] |= row.partner_id
        assigned = Partner
        for user, partners in assignments.items():
            partners.sudo().with_context(
                logistics_assignment_reason=_("Automatic assignment by tier")
            ).write({"key_account_manager_id": user.id})
            assigned |= partners
        if unassigned and self.responsible_user_id:
            self._notify_no_manager_available(unassigned)
        return assigned, unassigned

    def _notify_no_manager_available(self, partners):
        activity_type = self.env.ref("logistics_crm.mail_activity_type_no_manager")
        already = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        todo = partners - self.env["res.partner"].browse(already.mapped("res_id"))
        self.env["mail.activity"].sudo().create(
            [
                self._alert_vals(
                    activity_type,
                    partner,
                    self.responsible_user_id,
                    _("No key-account manager with free capacity: assign one"),
                )
                for partner in todo
            ]
        )

    def action_open_customer_tiers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_customer_tier_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
