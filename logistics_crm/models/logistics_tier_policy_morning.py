from collections import defaultdict
from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import date_utils

from ..compat import domain_and, domain_or, false_domain

# The manager's morning screen (static/src/dashboard/): one read-only entry point
# that returns every figure of the screen for the chosen companies, period and
# key-account manager. It is an Owl client action fed by this method, not a
# spreadsheet_dashboard: a spreadsheet bridge would pull the whole o-spreadsheet
# stack in as a dependency for a screen whose figures must follow this addon's
# per-company rules (grades, health thresholds, churn population, SLA calendar)
# and be tested against the models; this method reuses those computations and
# the records behind each figure open in Odoo's own list, pivot and graph views.

PERIODS = ("month", "quarter", "year", "last_12_months")
DEFAULT_PERIOD = "last_12_months"
HEALTH_STATES = ("healthy", "watch", "at_risk")
SLA_STATES = ("on_track", "at_risk", "breached")


class LogisticsTierPolicy(models.Model):
    _inherit = "logistics.tier.policy"

    # ------------------------------------------------------------------ scope

    @api.model
    def _morning_companies(self, company_ids):
        """The requested companies among the allowed ones (all allowed if none)."""
        allowed = self.env.companies
        if not company_ids:
            return allowed
        return allowed.filtered(lambda company: company.id in company_ids) or allowed

    @api.model
    def _morning_period(self, period):
        """(first day, today) of the period, in the user's today."""
        today = fields.Date.context_today(self)
        starts = {
            "month": today.replace(day=1),
            "quarter": date_utils.start_of(today, "quarter"),
            "year": today.replace(month=1, day=1),
            "last_12_months": today.replace(day=1) - relativedelta(months=11),
        }
        return starts[period], today

    @api.model
    def _morning_utc(self, day):
        """The naive UTC datetime of the start of a local day."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _morning_steps(self, date_from, date_to, step):
        """[(start, end)] of the months or quarters from date_from to date_to,
        the first starting at the start of date_from's month/quarter."""
        start = date_utils.start_of(date_from, step)
        months = 3 if step == "quarter" else 1
        steps = []
        while start <= date_to:
            end = start + relativedelta(months=months)
            steps.append((start, end))
            start = end
        return steps

    @api.model
    def _morning_action(self, xmlid, domain, context=None, view_type=None):
        """A window action of the addon on exactly these records."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        # the actions' own search defaults (current company, open) would filter
        # the figure's records a second time
        action["context"] = context or {}
        if view_type:
            action["views"] = sorted(
                action["views"], key=lambda view: view[1] != view_type
            )
        return action

    # ----------------------------------------------------------------- figures

    @api.model
    @api.readonly
    def get_manager_dashboard(self, company_ids=None, period=None, manager_id=None):
        """Every figure of the manager's morning screen, written nowhere.

        :param company_ids: ids among the user's allowed companies (all if empty)
        :param period: one of PERIODS (this month, quarter, year, last 12 months)
        :param manager_id: a key-account manager's user id, or falsy for all
        :return: a dict of figures; a figure without data is None, never 0
        """
        if not self.env.user.has_group("logistics_crm.group_logistics_crm_manager"):
            raise AccessError(
                self.env._("Only logistics CRM managers see the manager dashboard.")
            )
        period = period if period in PERIODS else DEFAULT_PERIOD
        companies = self._morning_companies(company_ids or [])
        manager = self.env["res.users"].browse(manager_id or []).exists()
        date_from, date_to = self._morning_period(period)
        scope = {
            "companies": companies,
            "manager": manager,
            "date_from": date_from,
            "date_to": date_to,
            "start": self._morning_utc(date_from),
            "end": self._morning_utc(date_to + relativedelta(days=1)),
        }
        Account = self.env["logistics.customer.tier"]
        return {
            "companies": [
                {"id": company.id, "name": company.name}
                for company in self.env.companies
            ],
            "company_ids": companies.ids,
            "period": period,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "managers": [
                {"id": user.id, "name": user.name}
                for [user] in Account._read_group(
                    [
                        ("company_id", "in", companies.ids),
                        ("key_account_manager_id", "!=", False),
                    ],
                    groupby=["key_account_manager_id"],
                )
            ],
            "manager_id": manager.id or False,
            "currency": companies[:1].currency_id.symbol or "",
            "todos": self._morning_todos(scope),
            "grades": self._morning_grades(scope),
            "health": self._morning_health(scope),
            "moves": self._morning_moves(scope),
            "nps": self._morning_nps(scope),
            "churn": self._morning_churn(scope),
            "sla": self._morning_sla(scope),
            "tickets": self._morning_tickets(scope),
            "overdue_visits": self._morning_overdue_visits(scope),
            "claims": self._morning_claims(scope),
        }

    # domains: one per kind of record, the manager filter included

    @api.model
    def _morning_policies(self, scope):
        """The companies' policies, looked up (never created: this is a
        read-only call)."""
        return self.sudo().search([("company_id", "in", scope["companies"].ids)])

    @api.model
    def _morning_account_domain(self, scope):
        domain = [("company_id", "in", scope["companies"].ids)]
        if scope["manager"]:
            domain.append(("key_account_manager_id", "=", scope["manager"].id))
        return domain

    @api.model
    def _morning_ticket_domain(self, scope):
        domain = [("company_id", "in", scope["companies"].ids)]
        if scope["manager"]:
            domain.append(("key_account_manager_id", "=", scope["manager"].id))
        return domain

    @api.model
    def _morning_visit_domain(self, scope):
        # a visit belongs to the person who makes it (the overdue visits per
        # manager of the visit menu group the same way)
        domain = [("company_id", "in", scope["companies"].ids)]
        if scope["manager"]:
            domain.append(("user_id", "=", scope["manager"].id))
        return domain

    @api.model
    def _morning_key_at_risk_domain(self, scope):
        """A-grade accounts (each company's best grade) whose lifecycle or
        health is at risk."""
        top_grades = []
        for policy in self._morning_policies(scope):
            company = policy.company_id
            grades = policy._grade_list()
            if grades:
                top_grades.append(
                    [("company_id", "=", company.id), ("tier", "=", grades[0][0])]
                )
        if not top_grades:
            return false_domain()
        return domain_and(
            [
                self._morning_account_domain(scope),
                domain_or(top_grades),
                [
                    "|",
                    ("lifecycle_stage", "=", "at_risk"),
                    ("health_status", "=", "at_risk"),
                ],
            ]
        )

    def _morning_todos(self, scope):
        """Today's to-dos first: each a count and the action on its records."""
        todos = [
            (
                "key_at_risk",
                "logistics.customer.tier",
                "logistics_crm.logistics_customer_tier_action",
                self._morning_key_at_risk_domain(scope),
            ),
            (
                "breaches",
                "logistics.ticket",
                "logistics_crm.logistics_ticket_action",
                self._morning_ticket_domain(scope)
                + [("is_closed", "=", False), ("sla_status", "=", "breached")],
            ),
            (
                "overdue_visits",
                "logistics.visit",
                "logistics_crm.logistics_visit_action_overdue",
                self._morning_visit_domain(scope) + [("is_overdue", "=", True)],
            ),
        ]
        return [
            {
                "key": key,
                "count": self.env[model].search_count(domain),
                "action": self._morning_action(xmlid, domain, view_type="list"),
            }
            for key, model, xmlid, domain in todos
        ]

    def _grade_labels(self):
        return dict(self.env["logistics.customer.grade"]._code_selection())

    def _morning_grades(self, scope):
        """Customers and value per grade (the value the grades were ranked on)."""
        domain = self._morning_account_domain(scope) + [("tier", "!=", False)]
        rows = self.env["logistics.customer.tier"]._read_group(
            domain, groupby=["tier"], aggregates=["__count", "value:sum"]
        )
        figures = {tier: (count, value) for tier, count, value in rows}
        return {
            "rows": [
                {
                    "code": code,
                    "name": name,
                    "customers": figures[code][0],
                    "value": figures[code][1],
                }
                for code, name in self._grade_labels().items()
                if code in figures
            ],
            "customers": sum(count for count, _value in figures.values())
            if figures
            else None,
            "value": sum(value for _count, value in figures.values())
            if figures
            else None,
            "action": self._morning_action(
                "logistics_crm.logistics_customer_tier_action",
                domain,
                {"group_by": ["tier"]},
                "list",
            ),
        }

    def _morning_health(self, scope):
        """Health per grade: healthy, watch, at risk, and no data yet (an
        account without data to score, or not scored yet)."""
        domain = self._morning_account_domain(scope) + [("tier", "!=", False)]
        counts = defaultdict(int)
        for tier, status, count in self.env["logistics.customer.tier"]._read_group(
            domain, groupby=["tier", "health_status"], aggregates=["__count"]
        ):
            counts[tier, status or "no_data"] += count
        tiers = {tier for tier, _status in counts}
        return {
            "rows": [
                {
                    "code": code,
                    "name": name,
                    **{
                        status: counts.get((code, status), 0)
                        for status in (*HEALTH_STATES, "no_data")
                    },
                }
                for code, name in self._grade_labels().items()
                if code in tiers
            ],
            "action": self._morning_action(
                "logistics_crm.logistics_customer_tier_action",
                domain,
                {
                    "pivot_row_groupby": ["tier"],
                    "pivot_column_groupby": ["health_status"],
                    "pivot_measures": ["__count"],
                },
                "pivot",
            ),
        }

    def _morning_moves(self, scope):
        """Tier moves up and down per month of the period."""
        domain = [
            ("company_id", "in", scope["companies"].ids),
            ("date", ">=", scope["start"]),
            ("date", "<", scope["end"]),
            ("direction", "in", ("up", "down")),
        ]
        if scope["manager"]:
            accounts = self.env["logistics.customer.tier"].search(
                self._morning_account_domain(scope)
            )
            domain.append(("partner_id", "in", accounts.partner_id.ids))
        counts = {
            (month.strftime("%Y-%m"), direction): count
            for month, direction, count in self.env[
                "logistics.tier.history"
            ]._read_group(
                domain, groupby=["date:month", "direction"], aggregates=["__count"]
            )
        }
        return {
            "rows": [
                {
                    "label": start.strftime("%Y-%m"),
                    "up": counts.get((start.strftime("%Y-%m"), "up"), 0),
                    "down": counts.get((start.strftime("%Y-%m"), "down"), 0),
                }
                for start, _end in self._morning_steps(
                    scope["date_from"], scope["date_to"], "month"
                )
            ],
            "action": self._morning_action(
                "logistics_crm.logistics_tier_history_action",
                domain,
                {"graph_groupbys": ["date:month", "direction"]},
                "graph",
            ),
        }

    @api.model
    def _quarter_label(self, start):
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"

    def _morning_nps(self, scope):
        """NPS per quarter from the answered relationship surveys; None for a
        quarter without an answer."""
        domain = [
            ("company_id", "in", scope["companies"].ids),
            ("state", "=", "answered"),
            ("nps_category", "!=", False),
            ("answered_date", ">=", scope["date_from"]),
            ("answered_date", "<=", scope["date_to"]),
        ]
        if scope["manager"]:
            domain.append(("manager_id", "=", scope["manager"].id))
        Survey = self.env["logistics.relationship.survey"]
        figures = {
            quarter: (nps, count)
            for quarter, nps, count in Survey._read_group(
                domain,
                groupby=["answered_date:quarter"],
                aggregates=["nps_value:avg", "__count"],
            )
        }
        [(nps, answers)] = Survey._read_group(
            domain, aggregates=["nps_value:avg", "__count"]
        )
        return {
            "rows": [
                {
                    "label": self._quarter_label(start),
                    "nps": figures[start][0] if start in figures else None,
                    "answers": figures.get(start, (None, 0))[1],
                }
                for start, _end in self._morning_steps(
                    scope["date_from"], scope["date_to"], "quarter"
                )
            ],
            "nps": nps if answers else None,
            "answers": answers,
            "action": self._morning_action(
                "logistics_crm.logistics_relationship_survey_action", domain
            ),
        }

    def _morning_churn_counts(self, scope, date_from, date_to):
        """(lost, active) over the companies, from the churn figures of each
        policy (the manager's customers only when one is chosen)."""
        lost = active = 0
        for policy in self._morning_policies(scope):
            if scope["manager"]:
                rows = [
                    row
                    for row in policy._churn_breakdown(date_from, date_to)
                    if row["manager_id"] == scope["manager"].id
                ]
                lost += sum(1 for row in rows if row["lost"])
                active += sum(1 for row in rows if row["active"])
            else:
                company_lost, company_active = policy._churn_counts(date_from, date_to)
                lost += company_lost
                active += company_active
        return lost, active

    def _morning_churn(self, scope):
        """Churn rate (%) per quarter: customers lost in the quarter / customers
        active at its start; None when nobody was active."""
        rows = []
        for start, end in self._morning_steps(
            scope["date_from"], scope["date_to"], "quarter"
        ):
            lost, active = self._morning_churn_counts(
                scope, start, min(end - relativedelta(days=1), scope["date_to"])
            )
            rows.append(
                {
                    "label": self._quarter_label(start),
                    "rate": 100.0 * lost / active if active else None,
                    "lost": lost,
                    "active": active,
                }
            )
        domain = [
            ("company_id", "in", scope["companies"].ids),
            ("churn_date", ">=", scope["date_from"]),
            ("churn_date", "<=", scope["date_to"]),
        ]
        if scope["manager"]:
            domain.append(("key_account_manager_id", "=", scope["manager"].id))
        return {
            "rows": rows,
            "action": self._morning_action(
                "logistics_crm.logistics_churn_report_action", domain
            ),
        }

    def _morning_sla(self, scope):
        """SLA compliance (%) per month of the tickets opened in it and closed
        under an SLA (as the SLA report counts them); None for a month without."""
        domain = self._morning_ticket_domain(scope) + [
            ("sla_start_date", ">=", scope["start"]),
            ("sla_start_date", "<", scope["end"]),
            ("is_closed", "=", True),
            ("sla_policy_id", "!=", False),
        ]
        Ticket = self.env["logistics.ticket"]
        figures = {
            month.strftime("%Y-%m"): (compliance, count)
            for month, compliance, count in Ticket._read_group(
                domain,
                groupby=["sla_start_date:month"],
                aggregates=["sla_compliance:avg", "__count"],
            )
        }
        [(compliance, closed)] = Ticket._read_group(
            domain, aggregates=["sla_compliance:avg", "__count"]
        )
        rows = []
        for start, _end in self._morning_steps(
            scope["date_from"], scope["date_to"], "month"
        ):
            label = start.strftime("%Y-%m")
            rows.append(
                {
                    "label": label,
                    "compliance": figures[label][0] if label in figures else None,
                    "closed": figures.get(label, (None, 0))[1],
                }
            )
        return {
            "rows": rows,
            "compliance": compliance if closed else None,
            "closed": closed,
            "action": self._morning_action(
                "logistics_crm.logistics_ticket_action",
                domain,
                {
                    "graph_measure": "sla_compliance",
                    "graph_groupbys": ["sla_start_date:month"],
                },
                "graph",
            ),
        }

    def _morning_tickets(self, scope):
        """Open tickets by SLA status (no_sla: tickets without an SLA)."""
        domain = self._morning_ticket_domain(scope) + [("is_closed", "=", False)]
        counts = {
            status or "no_sla": count
            for status, count in self.env["logistics.ticket"]._read_group(
                domain, groupby=["sla_status"], aggregates=["__count"]
            )
        }
        return {
            "rows": [
                {
                    "status": status,
                    "count": counts.get(status, 0),
                    "action": self._morning_action(
                        "logistics_crm.logistics_ticket_action",
                        domain
                        + [
                            ("sla_status", "=", status if status != "no_sla" else False)
                        ],
                        view_type="list",
                    ),
                }
                for status in (*SLA_STATES, "no_sla")
            ],
            "open": sum(counts.values()),
        }

    def _morning_overdue_visits(self, scope):
        """Overdue visits per person who makes them, most first."""
        domain = self._morning_visit_domain(scope) + [("is_overdue", "=", True)]
        rows = self.env["logistics.visit"]._read_group(
            domain, groupby=["user_id"], aggregates=["__count"]
        )
        return {
            "rows": sorted(
                (
                    {
                        "user_id": user.id or False,
                        "name": user.name or "",
                        "count": count,
                        "action": self._morning_action(
                            "logistics_crm.logistics_visit_action_overdue",
                            domain + [("user_id", "=", user.id or False)],
                            view_type="list",
                        ),
                    }
                    for user, count in rows
                ),
                key=lambda row: (-row["count"], row["name"]),
            ),
            "total": sum(count for _user, count in rows),
        }

    def _morning_claims(self, scope):
        """Claims opened in the period: amounts claimed, and settled (approved
        settlements); None when there was no claim."""
        domain = self._morning_ticket_domain(scope) + [
            ("type_id.is_claim", "=", True),
            # opened in the period, as the SLA report dates its tickets
            ("sla_start_date", ">=", scope["start"]),
            ("sla_start_date", "<", scope["end"]),
        ]
        Ticket = self.env["logistics.ticket"]
        [(count, claimed)] = Ticket._read_group(
            domain, aggregates=["__count", "claim_amount:sum"]
        )
        [(settled,)] = Ticket._read_group(
            domain + [("claim_state", "=", "approved")],
            aggregates=["settled_amount:sum"],
        )
        return {
            "count": count,
            "claimed": claimed if count else None,
            "settled": (settled or 0.0) if count else None,
            "action": self._morning_action(
                "logistics_crm.logistics_ticket_action", domain, view_type="list"
            ),
        }
