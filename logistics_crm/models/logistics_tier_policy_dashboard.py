from odoo import api, fields, models

# The managers' overview: one kanban card per company (its tier policy), with the
# numbers a manager watches; each number opens the records behind it.


class LogisticsTierPolicy(models.Model):
    _inherit = "logistics.tier.policy"

    # [{code, name, count, share}] per grade, best first
    dashboard_grades = fields.Json(compute="_compute_dashboard_tiers")
    dashboard_at_risk = fields.Integer(compute="_compute_dashboard_tiers")
    dashboard_rising_stars = fields.Integer(compute="_compute_dashboard_tiers")
    dashboard_single_demand = fields.Integer(compute="_compute_dashboard_single_demand")
    dashboard_health_watch = fields.Integer(compute="_compute_dashboard_health")
    dashboard_health_at_risk = fields.Integer(compute="_compute_dashboard_health")
    # accounts scored without anything known of them: neither healthy nor at risk
    dashboard_health_no_data = fields.Integer(
        string="Accounts without Health Data", compute="_compute_dashboard_health"
    )
    # empty before the first nightly health update: the counts mean nothing yet
    dashboard_health_date = fields.Date(
        string="Health Last Computed on", compute="_compute_dashboard_health"
    )
    dashboard_moves_up = fields.Integer(compute="_compute_dashboard_moves")
    dashboard_moves_down = fields.Integer(compute="_compute_dashboard_moves")
    dashboard_overdue_visits = fields.Integer(compute="_compute_dashboard_visits")
    dashboard_tickets_on_track = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_tickets_at_risk = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_tickets_breached = fields.Integer(compute="_compute_dashboard_tickets")

    def _compute_dashboard_tiers(self):
        CustomerTier = self.env["logistics.customer.tier"]
        by_tier = {
            (company.id, tier): (count, value)
            for company, tier, count, value in CustomerTier._read_group(
                [("company_id", "in", self.company_id.ids)],
                groupby=["company_id", "tier"],
                aggregates=["__count", "value:sum"],
            )
        }
        trends = {
            (company.id, trend): count
            for company, trend, count in CustomerTier._read_group(
                [("company_id", "in", self.company_id.ids), ("trend", "!=", False)],
                groupby=["company_id", "trend"],
                aggregates=["__count"],
            )
        }
        for policy in self:
            company = policy.company_id.id
            grades = policy._grade_list()
            total = sum(
                max(by_tier.get((company, code), (0, 0.0))[1], 0.0)
                for code, _name in grades
            )
            stats = []
            for code, name in grades:
                count, value = by_tier.get((company, code), (0, 0.0))
                share = round(max(value, 0.0) * 100.0 / total) if total else 0
                stats.append(
                    {"code": code, "name": name, "count": count, "share": share}
                )
            policy.dashboard_grades = stats
            policy.dashboard_at_risk = trends.get((company, "at_risk"), 0)
            policy.dashboard_rising_stars = trends.get((company, "rising_star"), 0)

    def _key_grade_codes(self):
        """Codes of the grades that get a dedicated manager (A and B by default)."""
        self.ensure_one()
        return self.grade_ids.filtered("key_account_required").mapped("code")

    def _single_demand_domain(self):
        """Key customers buying a single logistics service: the deeper
        relationship the course asks to build (cross-selling)."""
        return [
            ("company_id", "=", self.company_id.id),
            ("tier", "in", self._key_grade_codes()),
            ("partner_id.demand_type", "=", "single"),
        ]

    def _compute_dashboard_single_demand(self):
        Account = self.env["logistics.customer.tier"]
        for policy in self:
            policy.dashboard_single_demand = Account.search_count(
                policy._single_demand_domain()
            )

    def _compute_dashboard_health(self):
        Account = self.env["logistics.customer.tier"]
        counts = {
            (company.id, status): count
            for company, status, count in Account._read_group(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("health_status", "in", ("watch", "at_risk", "no_data")),
                ],
                groupby=["company_id", "health_status"],
                aggregates=["__count"],
            )
        }
        computed = dict(
            Account._read_group(
                [("company_id", "in", self.company_id.ids)],
                groupby=["company_id"],
                aggregates=["health_date:max"],
            )
        )
        for policy in self:
            company = policy.company_id.id
            policy.dashboard_health_watch = counts.get((company, "watch"), 0)
            policy.dashboard_health_at_risk = counts.get((company, "at_risk"), 0)
            policy.dashboard_health_no_data = counts.get((company, "no_data"), 0)
            policy.dashboard_health_date = computed.get(policy.company_id, False)

    def _month_start(self):
        return fields.Date.context_today(self).replace(day=1)

    def _compute_dashboard_moves(self):
        moves = {
            (company.id, direction): count
            for company, direction, count in self.env[
                "logistics.tier.history"
            ]._read_group(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("date", ">=", self._month_start()),
                    ("direction", "in", ("up", "down")),
                ],
                groupby=["company_id", "direction"],
                aggregates=["__count"],
            )
        }
        for policy in self:
            policy.dashboard_moves_up = moves.get((policy.company_id.id, "up"), 0)
            policy.dashboard_moves_down = moves.get((policy.company_id.id, "down"), 0)

    def _compute_dashboard_visits(self):
        overdue = dict(
            self.env["logistics.visit"]._read_group(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("is_overdue", "=", True),
                ],
                groupby=["company_id"],
                aggregates=["__count"],
            )
        )
        for policy in self:
            policy.dashboard_overdue_visits = overdue.get(policy.company_id, 0)

    def _compute_dashboard_tickets(self):
        tickets = {
            (company.id, status): count
            for company, status, count in self.env["logistics.ticket"]._read_group(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("is_closed", "=", False),
                ],
                groupby=["company_id", "sla_status"],
                aggregates=["__count"],
            )
        }
        for policy in self:
            company = policy.company_id.id
            policy.dashboard_tickets_on_track = tickets.get((company, "on_track"), 0)
            policy.dashboard_tickets_at_risk = tickets.get((company, "at_risk"), 0)
            policy.dashboard_tickets_breached = tickets.get((company, "breached"), 0)

    @api.readonly
    def action_open_dashboard(self):
        """Open the records behind a number of the overview (`dashboard` in context)."""
        self.ensure_one()
        target = self.env.context.get("dashboard")
        company = [("company_id", "=", self.company_id.id)]
        actions = {
            "tier": (
                "logistics_crm.logistics_customer_tier_action",
                company
                + (
                    [("tier", "=", self.env.context["tier"])]
                    if self.env.context.get("tier")
                    else [("tier", "!=", False)]
                ),
            ),
            "health": (
                "logistics_crm.logistics_customer_tier_action",
                company + [("health_status", "=", self.env.context.get("health"))],
            ),
            "single_demand": (
                "logistics_crm.logistics_customer_tier_action",
                self._single_demand_domain(),
            ),
            "trend": (
                "logistics_crm.logistics_customer_tier_action",
                company + [("trend", "=", self.env.context.get("trend"))],
            ),
            "moves": (
                "logistics_crm.logistics_tier_history_action",
                company
                + [
                    ("date", ">=", self._month_start()),
                    ("direction", "=", self.env.context.get("direction")),
                ],
            ),
            "overdue": (
                "logistics_crm.logistics_visit_action_overdue",
                company + [("is_overdue", "=", True)],
            ),
            "tickets": (
                "logistics_crm.logistics_ticket_action",
                company
                + [
                    ("is_closed", "=", False),
                    ("sla_status", "=", self.env.context.get("sla_status")),
                ],
            ),
        }
        xmlid, domain = actions[target]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        group_by = {"overdue": "user_id", "tier": "tier"}.get(target)
        if target == "tier" and self.env.context.get("tier"):
            group_by = None
        action["context"] = {"group_by": group_by} if group_by else {}
        return action
