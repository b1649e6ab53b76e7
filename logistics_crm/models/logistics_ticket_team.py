from ast import literal_eval

from odoo import api, fields, models


class LogisticsTicketTeam(models.Model):
    _name = "logistics.ticket.team"
    _description = "Service Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        check_company=True,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    member_ids = fields.Many2many(
        "res.users",
        "logistics_ticket_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        compute="_compute_resource_calendar_id",
        store=True,
        readonly=False,
        help="SLA targets count working hours of this calendar (the company's "
        "calendar when empty).",
    )
    calendar_tz_warning = fields.Char(
        string="Working Hours in Another Time Zone",
        compute="_compute_calendar_tz_warning",
    )
    match_customer_by_domain = fields.Boolean(
        string="Match Customer by Email Domain",
        help="An email from an unknown address makes its sender a contact of the "
        "customer whose addresses share its domain (anyone@acme.com joins Acme). "
        "Free-mail domains never match, nor a domain shared by several "
        "customers. Off: an unknown sender gets a contact of their own, linked "
        "to no customer.",
    )
    ticket_ids = fields.One2many("logistics.ticket", "team_id")
    open_ticket_count = fields.Integer(compute="_compute_ticket_stats")
    ticket_rating_avg = fields.Float(
        string="Average Rating", compute="_compute_ticket_stats", digits=(16, 2)
    )

    @api.depends("company_id")
    def _compute_resource_calendar_id(self):
        for team in self:
            calendar = team.resource_calendar_id
            if not calendar or (
                calendar.company_id and calendar.company_id != team.company_id
            ):
                calendar = team.company_id.resource_calendar_id
            team.resource_calendar_id = calendar

    @api.depends("resource_calendar_id.tz", "company_id")
    def _compute_calendar_tz_warning(self):
        for team in self:
            company = team.company_id or self.env.company
            team.calendar_tz_warning = company._logistics_calendar_tz_warning(
                team.resource_calendar_id
            )

    def action_calendar_in_company_tz(self):
        """The team's working hours in its company's zone."""
        for team in self:
            company = team.company_id or self.env.company
            if team.resource_calendar_id:
                team.resource_calendar_id = company._logistics_calendar_in_company_tz(
                    team.resource_calendar_id
                )
        return True

    def _compute_ticket_stats(self):
        Ticket = self.env["logistics.ticket"]
        open_counts = dict(
            Ticket._read_group(
                [("team_id", "in", self.ids), ("is_closed", "=", False)],
                groupby=["team_id"],
                aggregates=["__count"],
            )
        )
        ratings = dict(
            Ticket._read_group(
                [("team_id", "in", self.ids), ("rating_last_value", ">", 0)],
                groupby=["team_id"],
                aggregates=["rating_last_value:avg"],
            )
        )
        for team in self:
            team.open_ticket_count = open_counts.get(team, 0)
            team.ticket_rating_avg = ratings.get(team, 0.0)

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("logistics.ticket")
        if self.id:
            defaults = literal_eval(self.alias_defaults or "{}")
            defaults.update(team_id=self.id, company_id=self.company_id.id)
            values["alias_defaults"] = defaults
        return values

    @api.model
    def _default_team_for(self, user=None, company=None):
        """The first team of ``company`` with ``user`` in it, else its first team."""
        company = company or self.env.company
        teams = self.sudo().search([("company_id", "=", company.id)])
        if user:
            mine = teams.filtered(
                lambda team: user in team.member_ids or user == team.leader_id
            )
            if mine:
                return mine[:1]
        return teams[:1]

    def action_open_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_ticket_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action
