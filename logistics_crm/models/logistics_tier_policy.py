from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..compat import Constraint
from ..logic import abc_ranking, lifecycle
from .const import METRIC_SELECTION, WEIGHT_FIELDS
from .logistics_customer_grade import GRADE_TEMPLATES, TEMPLATE_FIELDS

_lt = LazyTranslate(__name__)
# the name a policy gets at install, translated into every installed language
DEFAULT_NAME = _lt("ABC Tiers")


class LogisticsTierPolicy(models.Model):
    _name = "logistics.tier.policy"
    _description = "Customer Tier Policy"
    _inherit = ["mail.thread"]
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, default=DEFAULT_NAME._source)
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
        help="Share of customers: the top share of the customers ranked by value "
        "takes the first grade, the next share the second... Share of value: the "
        "customers making the first share of the total value take the first grade.",
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
        help="A customer of any grade but the last whose value of the last 3 months "
        "fell by more than this share against the 3 months before is flagged as "
        "volume dropping.",
    )
    rising_star_growth_percent = fields.Float(
        string="Rising-Star Growth (%)",
        default=50.0,
        help="A customer of the last grade whose value of the last 3 months grew by "
        "more than this share against the 3 months before is flagged as a rising "
        "star.",
    )
    complaint_followup_days = fields.Integer(
        string="Complaint Follow-up after (days)",
        default=3,
        help="When a complaint ticket is closed, the customer's key-account manager "
        "gets a call this many days later to ask whether the customer is "
        "satisfied. 0: no follow-up call.",
    )
    lifecycle_new_months = fields.Integer(
        string="New for (months)",
        default=6,
        help="A customer whose first business is younger than this is new.",
    )
    lifecycle_at_risk_months = fields.Integer(
        string="At Risk after (months)",
        default=3,
        help="A customer without business for this many months is at risk; one "
        "with an order rhythm only once one and a half of its order intervals "
        "have passed too.",
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
    grade_ids = fields.One2many(
        "logistics.customer.grade",
        "policy_id",
        string="Grades",
        copy=True,
        help="The grades customers are ranked into, best first, with the service "
        "each gets. The last grade takes the rest.",
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
    last_recompute_summary = fields.Char(readonly=True, copy=False, translate=True)

    _company_uniq = Constraint(
        "unique(company_id)",
        "A company has a single tier policy.",
    )

    @api.onchange("method")
    def _onchange_method(self):
        """Shares fit for one method mean something else for the other: 5 % of
        the value is one or two customers. Grades still on a template's shares
        follow the method; shares a manager chose stay (the hint tells what
        they do)."""
        for template in GRADE_TEMPLATES.values():
            by_code = {row[0]: row for row in template}
            grades = self.grade_ids.sorted("sequence")[:-1]
            if set(grades.mapped("code")) != {row[0] for row in template[:-1]}:
                continue
            for grade in grades:
                customer_share, value_share = by_code[grade.code][2:4]
                if grade.share_percent in (customer_share, value_share):
                    grade.share_percent = (
                        value_share
                        if self.method == abc_ranking.BY_VALUE_SHARE
                        else customer_share
                    )

    @api.depends("method", "grade_ids.share_percent", "grade_ids.code")
    def _compute_threshold_hint(self):
        for policy in self:
            grades = policy.grade_ids.sorted("sequence")
            if len(grades) < 2:
                policy.threshold_hint = False
                continue
            last = grades[-1].code
            # formatted here, not inside _() (the term extractor evaluates the
            # strings it finds in the call)
            if policy.method == abc_ranking.BY_VALUE_SHARE:
                limits = ", ".join(
                    f"{grade.code} ≤ {grade.cumulative_percent:g}%"
                    for grade in grades[:-1]
                )
                policy.threshold_hint = policy.env._(
                    "Ranked by share of value: the customers who together make the "
                    "value up to %(limits)s; %(last)s: the rest. With 80 / 15 a few "
                    "customers are A, as the 80/20 rule reads.",
                    limits=limits,
                    last=last,
                )
            else:
                counts = ", ".join(
                    f"{grade.code} {round(grade.share_percent * 10)}"
                    for grade in grades[:-1]
                )
                rest = 1000 - sum(round(g.share_percent * 10) for g in grades[:-1])
                policy.threshold_hint = policy.env._(
                    "Ranked by share of customers: of 1,000 customers, %(counts)s; "
                    "%(last)s: the other %(rest)s.",
                    counts=counts,
                    last=last,
                    rest=max(rest, 0),
                )

    @api.constrains("grade_ids")
    def _check_grades(self):
        for policy in self:
            grades = policy.grade_ids.sorted("sequence")
            if len(grades) < 2:
                raise ValidationError(
                    self.env._(
                        "The tier policy of %(company)s needs at least two grades.",
                        company=policy.company_id.name,
                    )
                )
            if abc_ranking.validate_shares(grades[:-1].mapped("share_percent")):
                raise ValidationError(
                    self.env._(
                        "Every grade but the last needs a share above 0%%, and the "
                        "shares may not add up to more than 100%% (%(shares)s).",
                        shares=", ".join(
                            f"{g.code} {g.share_percent:g}%" for g in grades[:-1]
                        ),
                    )
                )

    def _grade_list(self):
        """[(code, name)] of the policy's grades, best first."""
        self.ensure_one()
        return [(grade.code, grade.name) for grade in self.grade_ids.sorted("sequence")]

    def _grade_order(self):
        """{code: position}, the best grade at 0."""
        return {code: index for index, (code, _name) in enumerate(self._grade_list())}

    def _ranking_grades(self):
        """[(code, share)] for abc_ranking.assign_tiers."""
        self.ensure_one()
        return [
            (grade.code, grade.share_percent)
            for grade in self.grade_ids.sorted("sequence")
        ]

    def _last_grade(self):
        self.ensure_one()
        return self.grade_ids.sorted("sequence")[-1:]

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
            if policy.at_risk_drop_percent > 100:
                raise ValidationError(
                    self.env._(
                        "A volume drop cannot exceed 100%%: the drop alert must be "
                        "between 0 and 100%%, not %(percent)s.",
                        percent=policy.at_risk_drop_percent,
                    )
                )

    @api.constrains(
        "complaint_followup_days",
        "proactive_notice_days",
        "birthday_notice_days",
        "reengage_months",
    )
    def _check_planner_delays(self):
        for policy in self:
            negative = [
                policy._fields[name]._description_string(self.env)
                for name in (
                    "complaint_followup_days",
                    "proactive_notice_days",
                    "birthday_notice_days",
                )
                if policy[name] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "These numbers of days cannot be negative: %(fields)s.",
                        fields=", ".join(negative),
                    )
                )
            if policy.reengage_months < 1:
                raise ValidationError(
                    self.env._(
                        "Re-engage after at least one month without an invoice, "
                        "not %(months)s.",
                        months=policy.reengage_months,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("grade_ids"):
                method = vals.get("method", abc_ranking.BY_CUSTOMER_SHARE)
                vals["grade_ids"] = [
                    fields.Command.create(values)
                    for values in self._template_grade_values("abc", method)
                ]
        policies = super().create(vals_list)
        for policy in policies:
            policy.company_id.logistics_tier_policy_id = policy
            policy.grade_ids._translate_names_from_template()
        policies._translate_default_name()
        return policies

    def _translate_default_name(self):
        """Policies still named as at install get that name in every installed
        language (they are created by code: the .po files cannot reach them)."""
        languages = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        for policy in self.with_context(lang="en_US"):
            if languages and policy.name == DEFAULT_NAME._source:
                policy.update_field_translations(
                    "name", {lang: DEFAULT_NAME._translate(lang) for lang in languages}
                )

    @api.model
    def _template_grade_values(self, template, method):
        values_list = []
        for sequence, row in enumerate(GRADE_TEMPLATES[template], start=1):
            values = dict(zip(TEMPLATE_FIELDS, row, strict=True))
            customer_share = values.pop("customer_share")
            value_share = values.pop("value_share")
            share = (
                value_share if method == abc_ranking.BY_VALUE_SHARE else customer_share
            )
            values.update(
                name=values["name"]._source,
                share_percent=share or 0.0,
                sequence=sequence * 10,
            )
            values_list.append(values)
        return values_list

    def action_apply_grade_template(self):
        """Replace the grades with a seeded set (`grade_template` in context:
        abc, railway). Grades customers hold and the template drops refuse
        to go (see logistics.customer.grade.unlink)."""
        self.ensure_one()
        template = self.env.context.get("grade_template")
        if template not in GRADE_TEMPLATES:
            raise ValidationError(self.env._("Unknown grade template."))
        # the grades do not change under a background recompute
        self._check_no_recompute_job()
        # the template's names are English sources, translated below into every
        # installed language: written in the user's language, the English name
        # would keep the old grade's and the translation would follow it
        policy = self.with_context(lang="en_US")
        wanted = policy._template_grade_values(template, self.method)
        codes = {values["code"] for values in wanted}
        dropped = policy.grade_ids.filtered(lambda g: g.code not in codes)
        if dropped and self.last_recompute_date:
            self._release_computed_tiers(dropped)
        dropped.unlink()
        existing = {grade.code: grade for grade in policy.grade_ids}
        # the grades kept first, then the new ones after them: shares stay valid
        # at every step (a grade only needs a share once one follows it)
        for values in wanted:
            if values["code"] in existing:
                existing[values["code"]].write(values)
        new = policy.env["logistics.customer.grade"].create(
            [
                dict(values, policy_id=self.id)
                for values in wanted
                if values["code"] not in existing
            ]
        )
        (policy.grade_ids | new)._translate_names_from_template()
        self._check_grades()
        if self.last_recompute_date:
            # the customers ranked on the old scale are ranked on the new one now,
            # recorded as a change of scale, not as customer moves
            self.check_access("write")
            if self._recompute_in_background():
                return self._request_recompute("scale")
            self._recompute_tiers(source="scale")
        return True

    def _release_computed_tiers(self, grades):
        """Let the accounts ranked into `grades` go, so the grades can be removed
        by a new scale: the re-ranking that follows gives them a grade of the new
        scale. Their stored tier stays until then, so their history reads from
        the grade they had. Forced tiers, open tickets and SLA policies still
        hold a grade (see logistics.customer.grade._check_unused)."""
        self.ensure_one()
        Account = self.env["logistics.customer.tier"]
        Account.flush_model(["computed_tier"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_customer_tier
                   SET computed_tier = NULL
                 WHERE company_id = %s AND computed_tier = ANY(%s)
                """,
                self.company_id.id,
                grades.mapped("code"),
            )
        )
        Account.invalidate_model(["computed_tier"])

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
        """The grade of code `tier`: its service (visits, priority, manager)."""
        self.ensure_one()
        return self.grade_ids.filtered(lambda grade: grade.code == tier)[:1]

    def action_open_customer_tiers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_customer_tier_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
