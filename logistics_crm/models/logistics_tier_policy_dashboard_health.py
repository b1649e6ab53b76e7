from datetime import date

from odoo import api, fields, models
from odoo.tools import SQL, date_utils

# how many of the month's worst movers the overview names
WORST_MOVERS = 5


class LogisticsTierPolicy(models.Model):
    """The overview's health and opinion figures: health per tier, the accounts
    whose health fell most this month, and NPS this quarter against the last."""

    _inherit = "logistics.tier.policy"

    dashboard_health_grades = fields.Json(
        string="Health per Tier", compute="_compute_dashboard_health_grades"
    )
    dashboard_worst_movers = fields.Json(
        string="Worst Movers this Month", compute="_compute_dashboard_worst_movers"
    )
    dashboard_nps = fields.Float(
        string="NPS this Quarter", compute="_compute_dashboard_nps", digits=(16, 0)
    )
    dashboard_nps_previous = fields.Float(
        string="NPS last Quarter", compute="_compute_dashboard_nps", digits=(16, 0)
    )
    dashboard_nps_answers = fields.Integer(
        string="Survey Answers this Quarter", compute="_compute_dashboard_nps"
    )
    # no answer, no NPS: the views say so instead of showing 0
    dashboard_nps_previous_answers = fields.Integer(
        string="Survey Answers last Quarter", compute="_compute_dashboard_nps"
    )

    def _compute_dashboard_health_grades(self):
        counts = {
            (company.id, tier, status): count
            for company, tier, status, count in self.env[
                "logistics.customer.tier"
            ]._read_group(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("tier", "!=", False),
                    ("health_status", "!=", False),
                ],
                groupby=["company_id", "tier", "health_status"],
                aggregates=["__count"],
            )
        }
        for policy in self:
            company = policy.company_id.id
            policy.dashboard_health_grades = [
                {
                    "code": code,
                    "name": name,
                    **{
                        status: counts.get((company, code, status), 0)
                        for status in ("healthy", "watch", "at_risk", "no_data")
                    },
                }
                for code, name in policy._grade_list()
            ]

    def _compute_dashboard_worst_movers(self):
        """The accounts whose score fell most since the month began: the score
        now against the last one recorded before the 1st (only accounts with a
        change this month are looked at)."""
        self.env["logistics.account.health"].flush_model()
        self.env["logistics.customer.tier"].flush_model(["health_score"])
        for policy in self:
            self.env.cr.execute(
                SQL(
                    """
                    WITH changed AS (
                        SELECT DISTINCT account_id FROM logistics_account_health
                         WHERE company_id = %(company)s AND date >= %(month)s
                    ), before AS (
                        SELECT DISTINCT ON (h.account_id) h.account_id, h.score
                          FROM logistics_account_health h
                          JOIN changed c ON c.account_id = h.account_id
                         WHERE h.date < %(month)s
                         ORDER BY h.account_id, h.date DESC, h.id DESC
                    )
                    SELECT t.id, p.name, t.health_score, b.score
                      FROM before b
                      JOIN logistics_customer_tier t ON t.id = b.account_id
                      JOIN res_partner p ON p.id = t.partner_id
                     WHERE t.health_score < b.score
                     ORDER BY t.health_score - b.score, t.id
                     LIMIT %(limit)s
                    """,
                    company=policy.company_id.id,
                    month=policy._month_start(),
                    limit=WORST_MOVERS,
                )
            )
            policy.dashboard_worst_movers = [
                {
                    "id": account_id,
                    "name": name,
                    "score": round(score),
                    "change": round(score - before),
                }
                for account_id, name, score, before in self.env.cr.fetchall()
            ]

    def _nps_between(self, start, end=None):
        """(NPS, answers) of the surveys answered from `start` (to before
        `end`): the NPS is None when nobody answered, not 0."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "answered"),
            ("nps_category", "!=", False),
            ("answered_date", ">=", start),
        ]
        if end:
            domain.append(("answered_date", "<", end))
        [(nps, count)] = self.env["logistics.relationship.survey"]._read_group(
            domain, aggregates=["nps_value:avg", "__count"]
        )
        return (nps if count else None), count

    def _compute_dashboard_nps(self):
        for policy in self:
            quarter_start = date_utils.start_of(
                fields.Date.context_today(policy), "quarter"
            )
            previous_start = date_utils.start_of(
                quarter_start - date.resolution, "quarter"
            )
            nps, answers = policy._nps_between(quarter_start)
            previous, previous_answers = policy._nps_between(
                previous_start, quarter_start
            )
            # a Float reads None as 0: the answer counts tell "no data"
            policy.dashboard_nps = nps or 0.0
            policy.dashboard_nps_answers = answers
            policy.dashboard_nps_previous = previous or 0.0
            policy.dashboard_nps_previous_answers = previous_answers

    @api.readonly
    def action_open_dashboard(self):
        self.ensure_one()
        target = self.env.context.get("dashboard")
        if target == "account":
            return {
                "type": "ir.actions.act_window",
                "res_model": "logistics.customer.tier",
                "res_id": self.env.context["account_id"],
                "view_mode": "form",
                "views": [(False, "form")],
            }
        if target == "health_pivot":
            # health per tier, or per key-account manager (`rows`), as a pivot
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "logistics_crm.logistics_customer_tier_action"
            )
            action["domain"] = [
                ("company_id", "=", self.company_id.id),
                ("tier", "!=", False),
            ]
            action["views"] = sorted(
                action["views"], key=lambda view: view[1] != "pivot"
            )
            action["context"] = {
                "pivot_row_groupby": [self.env.context.get("rows", "tier")],
                "pivot_column_groupby": ["health_status"],
                "pivot_measures": ["__count", "health_score"],
            }
            return action
        if target == "nps":
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "logistics_crm.logistics_relationship_survey_action"
            )
            action["domain"] = [("company_id", "=", self.company_id.id)]
            return action
        action = super().action_open_dashboard()
        if target == "health" and self.env.context.get("tier"):
            action["domain"] = action["domain"] + [
                ("tier", "=", self.env.context["tier"])
            ]
        return action
