import logging

from odoo import _, api, fields, models

from ..logic import sla

_logger = logging.getLogger(__name__)

SLA_STATUS_SELECTION = [
    (sla.ON_TRACK, "On Track"),
    (sla.AT_RISK, "At Risk"),
    (sla.BREACHED, "Breached"),
    (sla.MET, "Met"),
]
SLA_MATCH_FIELDS = ("customer_tier", "priority", "type_id", "team_id", "company_id")


class LogisticsTicket(models.Model):
    """The ticket's SLA engine: policy matching, deadlines, pauses, statuses and
    escalation."""

    _inherit = "logistics.ticket"

    # SLA
    sla_policy_id = fields.Many2one(
        "logistics.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        check_company=True,
    )

    sla_start_date = fields.Datetime(
        string="Opened On",
        index=True,
        help="When the SLA clock started: the ticket's creation.",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
    )

    sla_response_deadline = fields.Datetime(
        string="First Response Deadline",
        compute="_compute_sla_deadlines",
        store=True,
    )

    sla_resolution_deadline = fields.Datetime(
        string="Resolution Deadline",
        compute="_compute_sla_deadlines",
        store=True,
    )

    sla_paused_since = fields.Datetime(readonly=True, copy=False)

    sla_paused_hours = fields.Float(
        string="Paused Working Hours", readonly=True, copy=False
    )

    sla_response_paused_hours = fields.Float(readonly=True, copy=False)

    first_response_date = fields.Datetime(readonly=True, copy=False)

    sla_response_breached = fields.Boolean(readonly=True, copy=False)

    sla_resolution_breached = fields.Boolean(readonly=True, copy=False)

    sla_breached = fields.Boolean(
        string="SLA Breached",
        compute="_compute_sla_breached",
        store=True,
        help="Stays set once a target was missed, also after the ticket is closed.",
    )

    sla_escalated = fields.Boolean(readonly=True, copy=False)

    sla_status = fields.Selection(
        SLA_STATUS_SELECTION,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        index=True,
    )

    sla_met = fields.Boolean(
        string="SLA Met", compute="_compute_sla_statistics", store=True
    )

    sla_compliance = fields.Float(
        string="SLA Compliance (%)",
        compute="_compute_sla_statistics",
        store=True,
        aggregator="avg",
        help="100 for a closed ticket that met its SLA, 0 for a breached one: "
        "its average is the compliance rate.",
    )

    first_response_hours = fields.Float(
        string="First Response (h)",
        compute="_compute_sla_statistics",
        store=True,
        aggregator="avg",
        help="Working hours from the creation to the first answer.",
    )

    resolution_hours = fields.Float(
        string="Resolution (h)",
        compute="_compute_sla_statistics",
        store=True,
        aggregator="avg",
        help="Working hours from the creation to the resolution, paused time excluded.",
    )

    @api.depends(*SLA_MATCH_FIELDS)
    def _compute_sla_policy_id(self):
        policies = (
            self.env["logistics.sla.policy"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        )
        by_company = {}
        for policy in policies:
            by_company.setdefault(policy.company_id.id, policy.browse())
            by_company[policy.company_id.id] |= policy
        for ticket in self:
            if ticket.sla_escalated:
                # the escalation raised the priority: keep the targets it missed
                ticket.sla_policy_id = ticket.sla_policy_id
                continue
            candidates = by_company.get(ticket.company_id.id, policies.browse())
            ticket.sla_policy_id = sla.most_specific_policy(
                candidates._match_values(), ticket._sla_match_values()
            )

    def _sla_match_values(self):
        self.ensure_one()
        return {
            "tier": self.customer_tier,
            "priority": self.priority,
            "type_id": self.type_id.id,
            "team_id": self.team_id.id,
        }

    def _sla_calendar(self):
        self.ensure_one()
        return self.team_id.resource_calendar_id or self.company_id.resource_calendar_id

    def _working_hours(self, start, end):
        """Working hours between two naive UTC datetimes in the ticket's calendar."""
        self.ensure_one()
        calendar = self._sla_calendar()
        if not calendar or not start or not end or end <= start:
            return 0.0
        return calendar.get_work_duration_data(start, end, compute_leaves=True)["hours"]

    def _plan_deadline(self, hours, start):
        calendar = self._sla_calendar()
        if not hours or not calendar or not start:
            return False
        deadline = calendar.plan_hours(hours, start, compute_leaves=True)
        return deadline and deadline.replace(microsecond=0)

    @api.depends(
        "sla_policy_id.response_hours",
        "sla_policy_id.resolution_hours",
        "sla_start_date",
        "sla_paused_hours",
        "sla_response_paused_hours",
        "team_id.resource_calendar_id",
        "company_id.resource_calendar_id",
    )
    def _compute_sla_deadlines(self):
        for ticket in self:
            policy = ticket.sla_policy_id
            start = ticket.sla_start_date
            if not policy or not start:
                ticket.sla_response_deadline = False
                ticket.sla_resolution_deadline = False
                continue
            # pauses push the deadlines by the working hours spent paused
            ticket.sla_response_deadline = ticket._plan_deadline(
                policy.response_hours
                and policy.response_hours + ticket.sla_response_paused_hours,
                start,
            )
            ticket.sla_resolution_deadline = ticket._plan_deadline(
                policy.resolution_hours
                and policy.resolution_hours + ticket.sla_paused_hours,
                start,
            )

    @api.depends("sla_response_breached", "sla_resolution_breached")
    def _compute_sla_breached(self):
        for ticket in self:
            ticket.sla_breached = (
                ticket.sla_response_breached or ticket.sla_resolution_breached
            )

    @api.depends(
        "sla_response_deadline",
        "sla_resolution_deadline",
        "first_response_date",
        "closed_date",
        "sla_response_breached",
        "sla_resolution_breached",
        "sla_paused_since",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.sla_status = ticket._sla_status_at(now)

    def _sla_status_at(self, now):
        self.ensure_one()
        # while paused the clock stands still where it was paused
        now = self.sla_paused_since or now
        policy = self.sla_policy_id
        response = sla.target_status(
            now,
            self.sla_response_deadline,
            # closing a ticket answers it
            reached=self.first_response_date or self.closed_date,
            remaining_hours=self._remaining_hours(now, self.sla_response_deadline),
            target_hours=policy.response_hours,
            at_risk_percent=policy.at_risk_percent,
            breached=self.sla_response_breached,
        )
        resolution = sla.target_status(
            now,
            self.sla_resolution_deadline,
            reached=self.closed_date,
            remaining_hours=self._remaining_hours(now, self.sla_resolution_deadline),
            target_hours=policy.resolution_hours,
            at_risk_percent=policy.at_risk_percent,
            breached=self.sla_resolution_breached,
        )
        return sla.combine_status(response, resolution) or False

    def _remaining_hours(self, now, deadline):
        if not deadline or self.closed_date:
            return 0.0
        return self._working_hours(now, deadline)

    @api.depends(
        "closed_date",
        "first_response_date",
        "sla_start_date",
        "sla_paused_hours",
        "sla_breached",
        "sla_policy_id",
    )
    def _compute_sla_statistics(self):
        for ticket in self:
            start = ticket.sla_start_date
            ticket.first_response_hours = ticket._working_hours(
                start, ticket.first_response_date
            )
            if ticket.closed_date:
                ticket.resolution_hours = max(
                    ticket._working_hours(start, ticket.closed_date)
                    - ticket.sla_paused_hours,
                    0.0,
                )
            else:
                ticket.resolution_hours = 0.0
            closed_with_sla = bool(ticket.closed_date and ticket.sla_policy_id)
            ticket.sla_met = closed_with_sla and not ticket.sla_breached
            ticket.sla_compliance = 100.0 if ticket.sla_met else 0.0

    def _sla_record_reached_targets(self):
        """Record a breach when a target was reached after its deadline."""
        for ticket in self:
            values = {}
            if (
                not ticket.sla_response_breached
                and ticket.first_response_date
                and ticket.sla_response_deadline
                and ticket.first_response_date > ticket.sla_response_deadline
            ):
                values["sla_response_breached"] = True
            if (
                not ticket.sla_resolution_breached
                and ticket.closed_date
                and ticket.sla_resolution_deadline
                and ticket.closed_date > ticket.sla_resolution_deadline
            ):
                values["sla_resolution_breached"] = True
            if values:
                ticket.sudo().write(values)

    @api.model
    def _cron_sla_escalate(self):
        """Record breaches of open tickets, escalate each breached ticket once."""
        now = fields.Datetime.now()
        running = [("is_closed", "=", False), ("sla_paused_since", "=", False)]
        late_response = self.search(
            running
            + [
                ("sla_response_breached", "=", False),
                ("first_response_date", "=", False),
                ("sla_response_deadline", "<", now),
            ]
        )
        late_response.write({"sla_response_breached": True})
        late_resolution = self.search(
            running
            + [
                ("sla_resolution_breached", "=", False),
                ("sla_resolution_deadline", "<", now),
            ]
        )
        late_resolution.write({"sla_resolution_breached": True})
        to_escalate = self.search(
            [
                ("is_closed", "=", False),
                ("sla_breached", "=", True),
                ("sla_escalated", "=", False),
            ]
        )
        for ticket in to_escalate:
            ticket._sla_escalate()
        # statuses depend on the clock: refresh those of running tickets
        open_tickets = self.search([("is_closed", "=", False)])
        self.env.add_to_compute(self._fields["sla_status"], open_tickets)
        open_tickets.flush_recordset(["sla_status"])
        _logger.info(
            "SLA cron: %s breaches recorded, %s tickets escalated",
            len(late_response | late_resolution),
            len(to_escalate),
        )

    def _sla_escalate(self):
        self.ensure_one()
        activity_type = self.env.ref(
            "logistics_crm.mail_activity_type_sla_breach", raise_if_not_found=False
        ) or self.env.ref("mail.mail_activity_data_todo")
        users = (self.team_id.leader_id | self.key_account_manager_id).filtered(
            lambda user: not user.share
        )
        for user in users:
            self.activity_schedule(
                activity_type_id=activity_type.id,
                summary=_("SLA breached: %(ticket)s", ticket=self.display_name),
                note=_(
                    "Ticket %(ticket)s of %(customer)s missed its SLA.",
                    ticket=self.display_name,
                    customer=self.commercial_partner_id.display_name or "-",
                ),
                user_id=user.id,
            )
        old_priority = self.priority
        self.write(
            {
                "sla_escalated": True,
                "priority": sla.escalated_priority(self.priority),
            }
        )
        self.message_post(
            body=_(
                "SLA breached: priority raised from %(old)s to %(new)s.",
                old=old_priority,
                new=self.priority,
            ),
            subtype_xmlid="mail.mt_note",
        )
