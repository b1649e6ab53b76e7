from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..logic import abc_ranking, lifecycle
from .const import METRIC_SELECTION, WEIGHT_FIELDS

DEFAULT_SERVICE_LEVELS = [
    # tier, visit interval, executive visit interval, ticket priority, dedicated KAM,
    # load weight of one account for its manager, proactive activities
    ("A", 30, 90, "3", True, 3, True),
    ("B", 90, 180, "2", True, 2, True),
    ("C", 0, 0, "1", False, 1, False),
]


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
    threshold_hint = fields.Char(compute="_compute_threshold_hint")
    weight_invoice_revenue = fields.Float(default=1.0)
    weight_volume_revenue = fields.Float(default=0.0)
    weight_volume_shipments = fields.Float(default=0.0)
    weight_volume_tonnes = fields.Float(default=0.0)
    weight_relationship_years = fields.Float(default=0.0)
    at_risk_drop_percent = fields.Float(
        string="Volume Drop Alert (%)",
        default=30.0,
        help="An A or B customer whose value of the last 3 months fell by more than "
        "this share against the 3 months before is flagged as volume dropping.",
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
    visit_planned_hour = fields.Float(
        string="Visit Time",
        default=9.0,
        help="Local time of the visits the scheduler plans, in the time zone of "
        "the visit's owner (the company's when the owner has none).",
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
    planner_activities_per_user = fields.Integer(
        string="Activities per User and Day",
        default=20,
        help="Proactive, re-engage and birthday activities one user receives a day "
        "at most (key customers first); the others are listed in one digest "
        "activity. 0: no limit.",
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

    @api.onchange("method")
    def _onchange_method(self):
        """Thresholds fit for one method mean something else for the other: 5 %
        of the value is one or two customers. Untouched defaults follow the
        method; thresholds a manager chose stay (the hint tells what they do)."""
        defaults = abc_ranking.DEFAULT_THRESHOLDS
        untouched = (self.a_threshold, self.b_threshold) in defaults.values()
        if untouched and self.method in defaults:
            self.a_threshold, self.b_threshold = defaults[self.method]

    @api.depends("method", "a_threshold", "b_threshold")
    def _compute_threshold_hint(self):
        for policy in self:
            # 5.0 -> "5": formatted here, not inside _() (the term extractor
            # evaluates the strings it finds in the call)
            a, b = f"{policy.a_threshold:g}", f"{policy.b_threshold:g}"
            count_a = round(policy.a_threshold * 10)
            count_b = round(policy.b_threshold * 10)
            if policy.method == abc_ranking.BY_VALUE_SHARE:
                policy.threshold_hint = policy.env._(
                    "A: the customers who together make the first %(a)s%% of the "
                    "value; B: those making the next %(b)s%%; C: the rest. With "
                    "80 / 15 a few customers are A, as the 80/20 rule reads.",
                    a=a,
                    b=b,
                )
            else:
                policy.threshold_hint = policy.env._(
                    "A: the top %(a)s%% of the customers ranked by value; B: the "
                    "next %(b)s%%; C: the rest. Of 1,000 customers, %(count_a)s "
                    "are A and %(count_b)s are B.",
                    a=a,
                    b=b,
                    count_a=count_a,
                    count_b=count_b,
                )

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

    @api.constrains("visit_planned_hour")
    def _check_visit_planned_hour(self):
        for policy in self:
            if not 0 <= policy.visit_planned_hour < 24:
                raise ValidationError(
                    self.env._("The visit time must be between 00:00 and 23:59.")
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
                            "proactive_activities": proactive,
                        }
                    )
                    for (
                        tier,
                        visit,
                        executive,
                        priority,
                        dedicated,
                        weight,
                        proactive,
                    ) in DEFAULT_SERVICE_LEVELS
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

    def action_open_customer_tiers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_customer_tier_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
