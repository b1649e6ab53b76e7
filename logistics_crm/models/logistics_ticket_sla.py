import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..compat import notify_progress
from ..logic import sla

_logger = logging.getLogger(__name__)

SLA_STATUS_SELECTION = [
    (sla.ON_TRACK, "On Track"),
    (sla.AT_RISK, "SLA at Risk"),
    (sla.BREACHED, "Breached"),
    (sla.MET, "Met"),
]
SLA_MATCH_FIELDS = (
    "customer_tier",
    "priority",
    "type_id",
    "team_id",
    "company_id",
    "commercial_partner_id",
)
# tickets handled per call of the escalation cron (Odoo's runner commits between)
SLA_CRON_BATCH = 1000


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

    # the moments the clock changes the status: the cron selects on them (indexed)
    sla_at_risk_date = fields.Datetime(
        string="At Risk From",
        compute="_compute_sla_moments",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    sla_breach_date = fields.Datetime(
        string="Breached From",
        compute="_compute_sla_moments",
        store=True,
        index="btree_not_null",
        copy=False,
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

    # what the statistics count: the moment a target was first missed, never
    # cleared (`sla_breach_date` is the clock's next deadline, gone once closed)
    sla_first_breach_date = fields.Datetime(
        string="First Breached On",
        compute="_compute_sla_first_breach_date",
        store=True,
        index="btree_not_null",
        copy=False,
        help="When the ticket first missed a target (its deadline); kept after "
        "the answer and the closing.",
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
            best = None
            for group in ticket._sla_policy_groups(candidates):
                best = sla.most_specific_policy(
                    group._match_values(), ticket._sla_match_values()
                )
                if best:
                    break
            ticket.sla_policy_id = best

    def _sla_policy_groups(self, policies):
        """Policies to match in turn: the first group with a match wins."""
        return [policies]

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
        "is_closed",
    )
    def _compute_sla_deadlines(self):
        for ticket in self:
            if ticket.is_closed and ticket._origin.sla_resolution_deadline:
                # a closed ticket keeps the targets it was measured against
                ticket.sla_response_deadline = ticket._origin.sla_response_deadline
                ticket.sla_resolution_deadline = ticket._origin.sla_resolution_deadline
                continue
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

    @api.depends(
        "sla_response_deadline",
        "sla_resolution_deadline",
        "first_response_date",
        "sla_policy_id.at_risk_percent",
        "is_closed",
    )
    def _compute_sla_moments(self):
        for ticket in self:
            if ticket.is_closed:
                ticket.sla_at_risk_date = False
                ticket.sla_breach_date = False
                continue
            policy = ticket.sla_policy_id
            targets = [
                (deadline, hours, paused)
                for deadline, hours, paused, reached in (
                    (
                        ticket.sla_response_deadline,
                        policy.response_hours,
                        ticket.sla_response_paused_hours,
                        ticket.first_response_date,
                    ),
                    (
                        ticket.sla_resolution_deadline,
                        policy.resolution_hours,
                        ticket.sla_paused_hours,
                        False,
                    ),
                )
                if deadline and not reached
            ]
            ticket.sla_breach_date = min(
                (deadline for deadline, _hours, _paused in targets), default=False
            )
            # at risk once the working hours left reach the policy's share
            at_risk = [
                ticket._plan_deadline(
                    hours * (1 - policy.at_risk_percent / 100.0) + paused,
                    ticket.sla_start_date,
                )
                for _deadline, hours, paused in targets
                if hours and policy.at_risk_percent
            ]
            ticket.sla_at_risk_date = min(
                (moment for moment in at_risk if moment), default=False
            )

    @api.depends("sla_response_breached", "sla_resolution_breached")
    def _compute_sla_breached(self):
        for ticket in self:
            ticket.sla_breached = (
                ticket.sla_response_breached or ticket.sla_resolution_breached
            )

    @api.depends("sla_response_breached", "sla_resolution_breached")
    def _compute_sla_first_breach_date(self):
        now = fields.Datetime.now()
        for ticket in self:
            # recorded once: later pauses move the deadlines, not the breach
            first = ticket._origin.sla_first_breach_date
            if not first:
                missed = [
                    deadline or now
                    for deadline, breached in (
                        (ticket.sla_response_deadline, ticket.sla_response_breached),
                        (
                            ticket.sla_resolution_deadline,
                            ticket.sla_resolution_breached,
                        ),
                    )
                    if breached
                ]
                first = min(missed, default=False)
            ticket.sla_first_breach_date = first

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
        response = self._sla_target_status(
            now,
            self.sla_response_deadline,
            # closing a ticket answers it
            self.first_response_date or self.closed_date,
            self.sla_response_breached,
            self.sla_policy_id.response_hours,
        )
        if response == sla.BREACHED:
            # the worst status already: no calendar arithmetic for the other
            return response
        resolution = self._sla_target_status(
            now,
            self.sla_resolution_deadline,
            self.closed_date,
            self.sla_resolution_breached,
            self.sla_policy_id.resolution_hours,
        )
        return sla.combine_status(response, resolution) or False

    def _sla_target_status(self, now, deadline, reached, breached, target_hours):
        # working hours left matter only for a running target before its deadline
        running = deadline and not (breached or reached) and now <= deadline
        return sla.target_status(
            now,
            deadline,
            reached=reached,
            remaining_hours=(
                self._remaining_hours(now, deadline)
                if running and target_hours
                else 0.0
            ),
            target_hours=target_hours,
            at_risk_percent=self.sla_policy_id.at_risk_percent,
            breached=breached,
        )

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
        """Refresh the tickets whose clock passed a moment (at risk, breached),
        record their breaches and escalate each breached ticket once.

        Bounded batches selected on indexed moments: the other open tickets are
        not touched. Each company's part of a batch runs in a savepoint.
        """
        now = fields.Datetime.now()
        due = self._sla_due_tickets(now, SLA_CRON_BATCH + 1)
        batch, more = due[:SLA_CRON_BATCH], len(due) > SLA_CRON_BATCH
        failed = self.browse()
        for company, tickets in batch.grouped("company_id").items():
            try:
                with self.env.cr.savepoint():
                    tickets._sla_process_due(now)
            except Exception:
                _logger.exception(
                    "SLA escalation failed for company %s (id %s); "
                    "the other companies go on",
                    company.name,
                    company.id,
                )
                failed |= tickets
        done = len(batch - failed)
        notify_progress(self.env, done, (1 if more else 0) if done else 0)

    @api.model
    def _sla_due_tickets(self, now, limit):
        """Open running tickets whose status the clock changed, or breached and
        not escalated yet; rows another server is handling are skipped."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM logistics_ticket
                 WHERE active AND is_closed IS NOT TRUE AND sla_paused_since IS NULL
                   AND ((sla_at_risk_date <= %(now)s AND sla_status = 'on_track')
                        OR (sla_breach_date <= %(now)s
                            AND (sla_status <> 'breached'
                                 OR sla_escalated IS NOT TRUE))
                        OR (sla_breached AND sla_escalated IS NOT TRUE))
                 ORDER BY id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
                """,
                now=now,
                limit=limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _sla_process_due(self, now):
        late_response = self.filtered(
            lambda t: not t.sla_response_breached
            and not t.first_response_date
            and t.sla_response_deadline
            and t.sla_response_deadline < now
        )
        # flags of the clock, not edits: no tracking (it would also capture the
        # priority raised below and log a second message per ticket)
        late_response.with_context(tracking_disable=True).write(
            {"sla_response_breached": True}
        )
        late_resolution = self.filtered(
            lambda t: not t.sla_resolution_breached
            and t.sla_resolution_deadline
            and t.sla_resolution_deadline < now
        )
        late_resolution.with_context(tracking_disable=True).write(
            {"sla_resolution_breached": True}
        )
        self.env.add_to_compute(self._fields["sla_status"], self)
        self.flush_recordset()
        breached = self.filtered("sla_breached")
        escalated = self.browse()
        if breached:
            # claimed in one statement: a ticket is escalated once, whoever runs
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE logistics_ticket SET sla_escalated = TRUE
                     WHERE id = ANY(%s) AND sla_escalated IS NOT TRUE
                    RETURNING id
                    """,
                    breached.ids,
                )
            )
            escalated = self.browse([row[0] for row in self.env.cr.fetchall()])
            self.invalidate_recordset(["sla_escalated"])
        if escalated:
            escalated._sla_escalate()
        _logger.info(
            "SLA cron: %s statuses refreshed, %s breaches recorded, %s escalated",
            len(self),
            len(late_response | late_resolution),
            len(escalated),
        )

    def _sla_escalate(self):
        """Escalate breached tickets at once: an activity for the team leader and
        the key-account manager (in their language), the priority one level up,
        and a note in each ticket's chatter (logged in one batch)."""
        activity_type = self.env.ref(
            "logistics_crm.mail_activity_type_sla_breach", raise_if_not_found=False
        ) or self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activity_vals = []
        for ticket in self:
            users = (ticket.team_id.leader_id | ticket.key_account_manager_id).filtered(
                lambda user: not user.share
            )
            for user in users:
                env = user._logistics_in_lang(ticket, ticket.company_id).env
                activity_vals.append(
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "user_id": user.id,
                        "summary": env._(
                            "SLA breached: %(ticket)s", ticket=ticket.display_name
                        ),
                        "note": env._(
                            "Ticket %(ticket)s of %(customer)s missed its SLA.",
                            ticket=ticket.display_name,
                            customer=ticket.commercial_partner_id.display_name or "-",
                        ),
                        "date_deadline": activity_type._get_date_deadline(),
                    }
                )
        # a batch of breaches: listed in each user's activities (and noted in the
        # ticket's chatter), not emailed one by one
        self.env["logistics.tier.policy"]._create_activities(
            activity_vals, model=self._name
        )
        bodies = {}
        for old_priority, tickets in self.grouped("priority").items():
            new_priority = sla.escalated_priority(old_priority)
            # the note below tells the change: no second tracking message
            tickets.with_context(tracking_disable=True).write(
                {"sla_escalated": True, "priority": new_priority}
            )
            body = self.env._(
                "SLA breached: priority raised from %(old)s to %(new)s.",
                old=old_priority,
                new=new_priority,
            )
            bodies.update(dict.fromkeys(tickets.ids, body))
        self._message_log_batch(bodies)
