from collections import defaultdict
from datetime import timedelta

from pytz import UTC, timezone

from odoo import api, fields, models
from odoo.tools import SQL

from ..logic import ticket_assignment

ASSIGNMENT_SELECTION = [
    ("manual", "Manual"),
    ("balanced", "Balanced by Open Tickets"),
    ("round_robin", "Round Robin"),
]


class LogisticsTicketTeam(models.Model):
    _inherit = "logistics.ticket.team"

    assignment_method = fields.Selection(
        ASSIGNMENT_SELECTION,
        string="Assignment",
        required=True,
        default="manual",
        help="Manual: the creator handles backend tickets, the team picks up the "
        "others. Balanced: each new ticket goes to the available member with the "
        "fewest open tickets. Round robin: to the next available member in turn. "
        "Members on time off or outside their working hours are skipped.",
    )
    assign_key_account_first = fields.Boolean(
        string="Key Accounts to their Manager",
        help="Tickets of the best tier's customers go to the customer's "
        "key-account manager when available, before the team's rule.",
    )
    assignment_last_user_id = fields.Many2one(
        "res.users", string="Last Assigned", readonly=True, copy=False
    )

    def _available_members(self, now):
        """The active members working at `now` (naive UTC)."""
        self.ensure_one()
        field = self._fields["member_ids"]
        self.env["res.users"].flush_model(["active"])
        members = SQL(
            "u.active AND u.id IN (SELECT %s FROM %s WHERE %s = %s)",
            SQL.identifier(field.column2),
            SQL.identifier(field.relation),
            SQL.identifier(field.column1),
            self.id,
        )
        working = self._users_working_now(members, now)
        return self.env["res.users"].browse(sorted(working))

    def _working_users(self, users, now):
        """The users working at `now` (naive UTC): within their own working
        hours and not on time off when they have a resource (Odoo's working
        schedules and time off), else within the team's calendar in their time
        zone. Without any calendar, everybody works."""
        self.ensure_one()
        if not users:
            return users
        working = self._users_working_now(SQL("u.id = ANY(%s)", users.ids), now)
        return users.browse([user_id for user_id in users.ids if user_id in working])

    def _users_working_now(self, condition, now):
        """The ids of the users matching `condition` (SQL on res_users `u`)
        working at `now`, as `_working_users` says. Their time zones and
        resources come from one query; Odoo's calendars then answer once per
        calendar (users with a resource) and once per time zone (the others)."""
        start = UTC.localize(now)
        end = start + timedelta(minutes=1)
        self.env["res.users"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["tz"])
        Resource = self.env["resource.resource"].sudo()
        Resource.flush_model(["user_id", "active", "company_id", "calendar_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT u.id, p.tz, r.id, r.calendar_id
                  FROM res_users u
                  JOIN res_partner p ON p.id = u.partner_id
                  LEFT JOIN resource_resource r
                    ON r.user_id = u.id AND r.active
                   AND (r.company_id = %(company)s OR r.company_id IS NULL)
                 WHERE %(condition)s
                """,
                company=self.company_id.id,
                condition=condition,
            )
        )
        fallback = self.resource_calendar_id or self.company_id.resource_calendar_id
        resources_by_calendar = defaultdict(dict)  # {calendar id: {resource: user}}
        users_by_tz = defaultdict(list)  # users without a resource
        for user_id, tz, resource_id, calendar_id in self.env.cr.fetchall():
            if resource_id:
                calendar_id = calendar_id or fallback.id
                resources_by_calendar[calendar_id][resource_id] = user_id
            else:
                users_by_tz[tz or fallback.tz or "UTC"].append(user_id)
        working = set()
        Calendar = self.env["resource.calendar"].sudo()
        for calendar_id, user_of in resources_by_calendar.items():
            if not calendar_id:
                working.update(user_of.values())
                continue
            intervals = Calendar.browse(calendar_id)._work_intervals_batch(
                start, end, resources=Resource.browse(list(user_of))
            )
            working.update(
                user_id
                for resource_id, user_id in user_of.items()
                if intervals[resource_id]
            )
        for tz, group in users_by_tz.items():
            if not fallback:
                working.update(group)
            elif fallback._work_intervals_batch(start, end, tz=timezone(tz))[False]:
                working.update(group)
        return working

    def _key_account_managers_for(self, vals_list, now):
        """{id(vals): key-account manager} for the tickets of the best tier's
        customers whose manager works now (one query for the accounts)."""
        self.ensure_one()
        partner_ids = {vals.get("partner_id") for vals in vals_list} - {None, False}
        if not partner_ids:
            return {}
        partners = self.env["res.partner"].sudo().browse(list(partner_ids))
        commercial = {p.id: p.commercial_partner_id.id for p in partners}
        order = self.env["logistics.customer.grade"]._grade_order(self.company_id)
        best = [code for code, position in order.items() if position == 0]
        accounts = (
            self.env["logistics.customer.tier"]
            .sudo()
            .search_read(
                [
                    ("partner_id", "in", list(set(commercial.values()))),
                    ("company_id", "=", self.company_id.id),
                    ("tier", "in", best),
                    ("key_account_manager_id", "!=", False),
                ],
                ["partner_id", "key_account_manager_id"],
            )
        )
        managers = {
            row["partner_id"][0]: row["key_account_manager_id"][0] for row in accounts
        }
        if not managers:
            return {}
        users = self.env["res.users"].browse(set(managers.values()))
        working_ids = set(self._working_users(users, now).ids)
        result = {}
        for vals in vals_list:
            manager = managers.get(commercial.get(vals.get("partner_id")))
            if manager in working_ids:
                result[id(vals)] = manager
        return result


class LogisticsTicket(models.Model):
    """New tickets of a team with automatic assignment reach a handler without
    anyone dispatching: on creation from any channel, for a whole batch at once."""

    _inherit = "logistics.ticket"

    @api.model
    def _default_handler(self):
        user = self.env.user
        if user.share:
            return False
        Team = self.env["logistics.ticket.team"]
        team = Team.browse(self.env.context.get("default_team_id")).exists()
        team = team or Team._default_team_for(user)
        if team.assignment_method not in (False, "manual"):
            return False  # the team's rule picks the handler
        return super()._default_handler()

    @api.model_create_multi
    def create(self, vals_list):
        self._default_team_of_company(vals_list)
        self._assign_by_load(vals_list)
        return super().create(vals_list)

    @api.model
    def _default_team_of_company(self, vals_list):
        """A ticket created for another company than the user's current one (an
        integrator, a job, the portal) gets that company's default team, not the
        current company's, which the company check would refuse."""
        Team = self.env["logistics.ticket.team"]
        teams = {}
        for vals in vals_list:
            company_id = vals.get("company_id")
            if "team_id" in vals or not company_id or company_id == self.env.company.id:
                continue
            if company_id not in teams:
                company = self.env["res.company"].browse(company_id)
                teams[company_id] = Team._default_team_for(self.env.user, company).id
            vals["team_id"] = teams[company_id] or False

    @api.model
    def _assign_by_load(self, vals_list):
        """Set `user_id` in the values of new tickets without a handler whose team
        assigns automatically. A constant number of queries per batch."""
        Team = self.env["logistics.ticket.team"].sudo()
        default_team = None
        pending = {}
        for vals in vals_list:
            if vals.get("user_id"):
                continue
            if "team_id" in vals:
                team_id = vals["team_id"]
            else:
                if default_team is None:
                    default_team = self.default_get(["team_id"]).get("team_id") or False
                team_id = default_team
            if team_id:
                pending.setdefault(team_id, []).append(vals)
        teams = Team.browse(list(pending)).filtered(
            lambda team: team.assignment_method != "manual"
        )
        if not teams:
            return
        now = fields.Datetime.now()
        for team in teams:
            team_vals = pending[team.id]
            members = team._available_members(now)
            key_managers = (
                team._key_account_managers_for(team_vals, now)
                if team.assign_key_account_first
                else {}
            )
            rest = team_vals
            if key_managers:
                rest = []
                for vals in team_vals:
                    manager = key_managers.get(id(vals))
                    if manager:
                        vals["user_id"] = manager
                    else:
                        rest.append(vals)
            if not members or not rest:
                continue
            if team.assignment_method == "balanced":
                loads = dict.fromkeys(members.ids, 0)
                for user, count in self.sudo()._read_group(
                    [("user_id", "in", members.ids), ("is_closed", "=", False)],
                    groupby=["user_id"],
                    aggregates=["__count"],
                ):
                    loads[user.id] = count
                chosen = ticket_assignment.balanced(len(rest), loads)
            else:
                chosen = ticket_assignment.round_robin(
                    len(rest), members.ids, team.assignment_last_user_id.id or None
                )
                team.assignment_last_user_id = chosen[-1]
            for vals, user_id in zip(rest, chosen, strict=True):
                vals["user_id"] = user_id
