from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from ..compat import Constraint
from .const import PRIORITY_SELECTION

_lt = LazyTranslate(__name__)

# Seeded grade sets. Each grade: code, name, share of the customers, share of the
# value (for the Pareto method), colour, visit interval, executive visit interval,
# ticket priority, dedicated key-account manager, load weight, proactive activities,
# months between two relationship surveys.
# The last grade takes the rest: its shares are None.
GRADE_TEMPLATES = {
    "abc": [
        ("A", _lt("A – Key Customer"), 5.0, 80.0, 10, 30, 90, "3", True, 3, True, 12),
        (
            "B",
            _lt("B – Partner Customer"),
            15.0,
            15.0,
            4,
            90,
            180,
            "2",
            True,
            2,
            True,
            12,
        ),
        (
            "C",
            _lt("C – General Customer"),
            None,
            None,
            0,
            0,
            0,
            "1",
            False,
            1,
            False,
            0,
        ),
    ],
    # the railway freight grading: capacity allocation, pricing and contact per grade
    "railway": [
        (
            "A",
            _lt("A – Strategic Customer"),
            5.0,
            70.0,
            10,
            30,
            90,
            "3",
            True,
            3,
            True,
            12,
        ),
        (
            "B",
            _lt("B – Major Customer"),
            15.0,
            20.0,
            4,
            60,
            180,
            "2",
            True,
            2,
            True,
            12,
        ),
        (
            "C",
            _lt("C – Regular Customer"),
            30.0,
            8.0,
            2,
            180,
            0,
            "1",
            False,
            1,
            True,
            0,
        ),
        (
            "D",
            _lt("D – Occasional Customer"),
            None,
            None,
            0,
            0,
            0,
            "1",
            False,
            1,
            False,
            0,
        ),
    ],
}
TEMPLATE_FIELDS = (
    "code",
    "name",
    "customer_share",
    "value_share",
    "color",
    "visit_interval_days",
    "executive_visit_interval_days",
    "ticket_priority",
    "key_account_required",
    "account_load_weight",
    "proactive_activities",
    "survey_interval_months",
)


class LogisticsCustomerGrade(models.Model):
    """One grade (tier) of a company's policy: A – Key, B – Partner, C – General
    by default, A–D for railway freight, or any levels a manager defines, with the
    service each grade gets. Accounts, tickets, visits, SLA policies and the
    history store the grade's code, unique within a policy."""

    _name = "logistics.customer.grade"
    _description = "Customer Grade"
    _order = "policy_id, sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "logistics.tier.policy", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10, help="Best grade first.")
    code = fields.Char(
        required=True,
        size=8,
        help="Short code kept on the customer accounts (A, B, C...). It cannot "
        "change while customers, SLA policies or tickets use it.",
    )
    name = fields.Char(required=True, translate=True)
    share_percent = fields.Float(
        string="Share (%)",
        help="Share of the customers (or of the value, by the policy's method) "
        "this grade takes after the better grades. The last grade takes the rest.",
    )
    cumulative_percent = fields.Float(string="Up to (%)", compute="_compute_position")
    is_last = fields.Boolean(string="Takes the Rest", compute="_compute_position")
    color = fields.Integer()
    visit_interval_days = fields.Integer(
        help="Days between two visits of the key-account manager; 0: no visits."
    )
    executive_visit_interval_days = fields.Integer(
        help="Days between two visits of the executive sponsor; 0: none."
    )
    ticket_priority = fields.Selection(PRIORITY_SELECTION, required=True, default="1")
    account_load_weight = fields.Integer(
        string="Load Weight",
        default=1,
        help="Load points one account of this grade adds to its manager.",
    )
    key_account_required = fields.Boolean(
        string="Dedicated Key-Account Manager",
        help="Customers of this grade get a dedicated key-account manager.",
    )
    proactive_activities = fields.Boolean(
        help="Proactive-contact and re-engage activities for the customers of this "
        "grade. Off for the last grade by default: general customers get basic, "
        "low-effort service.",
    )
    survey_interval_months = fields.Integer(
        string="Survey every (months)",
        help="Months between two relationship surveys sent to the customers of this "
        "grade; 0: none (surveys can still be sent on demand).",
    )
    customer_count = fields.Integer(
        string="Customers", compute="_compute_customer_count"
    )

    _policy_code_uniq = Constraint(
        "unique(policy_id, code)",
        "Grade codes are unique within a tier policy.",
    )

    @api.depends("policy_id.grade_ids.sequence", "policy_id.grade_ids.share_percent")
    def _compute_position(self):
        for grade in self:
            ordered = grade.policy_id.grade_ids.sorted("sequence")
            cumulative = 0.0
            for other in ordered:
                cumulative += other.share_percent
                if other == grade:
                    break
            grade.is_last = bool(ordered) and ordered[-1] == grade
            grade.cumulative_percent = 100.0 if grade.is_last else cumulative

    def _compute_customer_count(self):
        counts = {
            (company.id, tier): count
            for company, tier, count in self.env["logistics.customer.tier"]._read_group(
                [("company_id", "in", self.company_id.ids)],
                groupby=["company_id", "tier"],
                aggregates=["__count"],
            )
        }
        for grade in self:
            grade.customer_count = counts.get((grade.company_id.id, grade.code), 0)

    @api.constrains("visit_interval_days", "executive_visit_interval_days")
    def _check_intervals(self):
        for grade in self:
            if grade.visit_interval_days < 0 or grade.executive_visit_interval_days < 0:
                raise ValidationError(self.env._("Visit intervals cannot be negative."))

    @api.constrains("account_load_weight")
    def _check_account_load_weight(self):
        if any(grade.account_load_weight < 0 for grade in self):
            raise ValidationError(
                self.env._("The load weight of a grade cannot be negative.")
            )

    @api.constrains("survey_interval_months")
    def _check_survey_interval(self):
        if any(grade.survey_interval_months < 0 for grade in self):
            raise ValidationError(
                self.env._("The months between two surveys cannot be negative.")
            )

    @api.constrains("code", "share_percent", "sequence")
    def _check_policy_grades(self):
        self.policy_id._check_grades()

    # -- the dynamic selection every tier field uses --------------------------

    @api.model
    def _code_selection(self):
        """[(code, name)] of the configured grades: the current company's first,
        in its order, then codes only other companies use."""
        return list(
            self._code_selection_cached(self.env.lang or "en_US", self.env.company.id)
        )

    @tools.ormcache("lang", "company_id")
    def _code_selection_cached(self, lang, company_id):
        grades = (
            self.sudo()
            .with_context(lang=lang)
            .search_read([], ["code", "name", "company_id"], order="sequence, id")
        )
        own = [
            g for g in grades if g["company_id"] and g["company_id"][0] == company_id
        ]
        selection, seen = [], set()
        for grade in own + grades:
            if grade["code"] not in seen:
                seen.add(grade["code"])
                selection.append((grade["code"], grade["name"]))
        return tuple(selection)

    @api.model
    def _grade_order(self, company):
        """{code: position} of the company's grades, the best at 0."""
        return (
            self.env["logistics.tier.policy"]
            ._get_company_policy(company)
            ._grade_order()
        )

    def _translate_names_from_template(self):
        """Grades still named as a seeded template names them get that name's
        translation in every installed language (grades are created by code,
        so the .po files cannot reach them)."""
        languages = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        if not languages:
            return
        sources = {
            row[1]._source: row[1]
            for template in GRADE_TEMPLATES.values()
            for row in template
        }
        for grade in self.with_context(lang="en_US"):
            lazy = sources.get(grade.name)
            if lazy:
                grade.update_field_translations(
                    "name", {lang: lazy._translate(lang) for lang in languages}
                )
        # the tier selections cache the grade names per language
        self.env.registry.clear_cache()

    # -- life cycle -----------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        grades = super().create(vals_list)
        self.env.registry.clear_cache()
        return grades

    def write(self, vals):
        if "code" in vals:
            for grade in self.filtered(lambda g: g.code != vals["code"]):
                grade._check_unused("rename")
        result = super().write(vals)
        if {"code", "name", "sequence"} & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        for grade in self:
            grade._check_unused("remove")
        policies = self.policy_id
        result = super().unlink()
        policies.exists()._check_grades()
        self.env.registry.clear_cache()
        return result

    def _usage_count(self):
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT (SELECT COUNT(*) FROM logistics_customer_tier
                     WHERE company_id = %(company)s
                       AND (computed_tier = %(code)s OR forced_tier = %(code)s))
                 + (SELECT COUNT(*) FROM logistics_sla_policy
                     WHERE (company_id = %(company)s OR company_id IS NULL)
                       AND tier = %(code)s)
                 + (SELECT COUNT(*) FROM logistics_ticket
                     WHERE company_id = %(company)s AND customer_tier = %(code)s
                       AND is_closed IS NOT TRUE)
            """,
            {"company": self.company_id.id, "code": self.code},
        )
        return self.env.cr.fetchone()[0]

    def _check_unused(self, change):
        """A grade customers, SLA policies or open tickets use keeps its code:
        changing or removing it would leave them a grade nobody configures."""
        count = self._usage_count()
        if not count:
            return
        if change == "rename":
            message = self.env._(
                "The code of grade %(grade)s cannot change: %(count)s customer "
                "accounts, open tickets or SLA policies use it. Rename the grade "
                "instead.",
                grade=self.display_name,
                count=count,
            )
        else:
            message = self.env._(
                "Grade %(grade)s still holds %(count)s customer accounts, open "
                "tickets or SLA policies. Lower its share and recompute, or force "
                "those customers into another grade, before removing it.",
                grade=self.display_name,
                count=count,
            )
        raise ValidationError(message)
