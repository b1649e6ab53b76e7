from odoo import api, fields, models
from odoo.exceptions import ValidationError

RECLAIM_DAY_FIELDS = ("unattended_days", "not_won_days", "warn_days", "block_days")
FOLLOWUP_KINDS = ("count_activities", "count_visits", "count_messages", "count_orders")


class LogisticsPoolReclaimRule(models.Model):
    """A reclaim rule (回收规则) of a company: when an owned customer returns to
    the pool on its own, in the nightly reclaim job.

    The first active rule (by sequence) naming a customer's grade applies to
    it; a rule without grades applies to every grade and to the customers not
    ranked yet. Protected customers, customers with a key-account manager and
    the grades that need a dedicated manager never return on their own.
    """

    _name = "logistics.pool.reclaim.rule"
    _description = "Customer Pool Reclaim Rule"
    _order = "policy_id, sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "logistics.tier.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    grade_ids = fields.Many2many(
        "logistics.customer.grade",
        string="Grades",
        domain="[('policy_id', '=', policy_id), ('key_account_required', '=', False)]",
        help="The grades the rule applies to; empty: every grade and the customers "
        "not ranked yet. The grades that need a dedicated manager never return "
        "on their own.",
    )
    unattended_days = fields.Integer(
        string="Return When Not Followed Up For (days)",
        default=90,
        help="A customer its owner did not follow up (as counted below) for this "
        "many days returns to the pool. The days count from the claim or "
        "assignment, or from the last follow-up. 0: off.",
    )
    not_won_days = fields.Integer(
        string="Return When Not Won Within (days)",
        help="A customer without a posted customer invoice in the company since "
        "it was claimed or assigned returns to the pool this many days after. "
        "0: off.",
    )
    warn_days = fields.Integer(
        string="Warn Owner Before (days)",
        default=7,
        help="The owner gets one activity this many days before the customer "
        "returns; a customer returns only once its owner was warned this many "
        "days before. 0: no warning.",
    )
    block_days = fields.Integer(
        string="Former Owner Waits (days)",
        default=30,
        help="The former owner cannot claim the returned customer back for this "
        "many days.",
    )
    count_activities = fields.Boolean(
        string="Done Activities Count",
        default=True,
        help="An activity on the customer or its contacts marked done by the owner "
        "counts as a follow-up.",
    )
    count_visits = fields.Boolean(
        string="Done Visits Count",
        default=True,
        help="A visit of the customer done by the owner counts as a follow-up.",
    )
    count_messages = fields.Boolean(
        string="Logged Calls and Notes Count",
        default=True,
        help="A note, logged call or message the owner posted on the customer or "
        "its contacts counts as a follow-up.",
    )
    count_orders = fields.Boolean(
        string="Orders and Invoices Count",
        default=True,
        help="A posted customer invoice of the customer in the company counts as "
        "a follow-up.",
    )

    @api.constrains(*RECLAIM_DAY_FIELDS)
    def _check_days(self):
        for rule in self:
            if any(rule[name] < 0 for name in RECLAIM_DAY_FIELDS):
                raise ValidationError(
                    self.env._("The days of a reclaim rule cannot be negative.")
                )
            given = [d for d in (rule.unattended_days, rule.not_won_days) if d]
            shortest = min(given, default=0)
            if given and rule.warn_days >= shortest:
                raise ValidationError(
                    self.env._(
                        "A reclaim rule warns the owner fewer days before the "
                        "return than the days it gives: %(warn)s warning days "
                        "for %(days)s days.",
                        warn=rule.warn_days,
                        days=shortest,
                    )
                )

    @api.constrains("unattended_days", *FOLLOWUP_KINDS)
    def _check_followup_kinds(self):
        for rule in self:
            if rule.unattended_days and not any(rule[k] for k in FOLLOWUP_KINDS):
                raise ValidationError(
                    self.env._(
                        "A reclaim rule on customers not followed up counts at "
                        "least one kind of follow-up."
                    )
                )

    @api.constrains("grade_ids", "policy_id")
    def _check_grades_of_policy(self):
        for rule in self:
            if rule.grade_ids.policy_id - rule.policy_id:
                raise ValidationError(
                    self.env._(
                        "A reclaim rule names grades of its own company's policy."
                    )
                )

    @api.model
    def _default_rule_values(self):
        """The rule every new policy starts with: a customer not followed up for
        90 days returns, its owner warned 7 days before, and waits 30 days."""
        return {
            "unattended_days": 90,
            "not_won_days": 0,
            "warn_days": 7,
            "block_days": 30,
        }

    @api.model
    def _ensure_default_rules(self):
        """Policies that never had a rule (created before the rules existed) get
        the default one; an archived rule counts as one, so a company that
        turned reclaiming off keeps it off across upgrades."""
        ruled = self.with_context(active_test=False).sudo().search([]).policy_id.ids
        policies = (
            self.env["logistics.tier.policy"].sudo().search([("id", "not in", ruled)])
        )
        self.sudo().create(
            [
                dict(self._default_rule_values(), policy_id=policy.id)
                for policy in policies
            ]
        )
        return True
