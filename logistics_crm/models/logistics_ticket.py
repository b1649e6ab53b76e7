import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..logic import sla
from .const import PRIORITY_SELECTION, TIER_SELECTION

_logger = logging.getLogger(__name__)

SLA_STATUS_SELECTION = [
    (sla.ON_TRACK, "On Track"),
    (sla.AT_RISK, "At Risk"),
    (sla.BREACHED, "Breached"),
    (sla.MET, "Met"),
]
SLA_MATCH_FIELDS = ("customer_tier", "priority", "type_id", "team_id", "company_id")


class LogisticsTicket(models.Model):
    _name = "logistics.ticket"
    _description = "Service Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
    ]
    _order = "priority desc, create_date desc, id desc"
    _rec_names_search = ["number", "name", "tracking_number", "order_reference"]
    _check_company_auto = True
    # portal users reply on the tickets they can read
    _mail_post_access = "read"

    number = fields.Char(
        readonly=True, copy=False, index="trigram", default=lambda s: _("New")
    )
    name = fields.Char(string="Title", required=True, tracking=True)
    description = fields.Html(sanitize_style=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    partner_email = fields.Char(related="partner_id.email", string="Email")
    type_id = fields.Many2one(
        "logistics.ticket.type",
        tracking=True,
        check_company=True,
        index=True,
    )
    is_complaint = fields.Boolean(related="type_id.is_complaint", store=True)
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("portal", "Portal"),
            ("visit", "Visit"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    priority = fields.Selection(
        PRIORITY_SELECTION,
        compute="_compute_priority",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        help="Defaults to the priority of the customer's tier service level.",
    )
    tracking_number = fields.Char(string="Waybill / Tracking No.", index="trigram")
    order_reference = fields.Char(index="trigram")
    claim_amount = fields.Monetary(currency_field="currency_id")
    team_id = fields.Many2one(
        "logistics.ticket.team",
        tracking=True,
        index=True,
        check_company=True,
        default=lambda s: s.env["logistics.ticket.team"]._default_team_for(s.env.user),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        tracking=True,
        index=True,
        check_company=True,
        domain="[('share', '=', False)]",
        default=lambda s: s.env.user if not s.env.user.share else False,
    )
    stage_id = fields.Many2one(
        "logistics.ticket.stage",
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda s: s._default_stage(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    resolution = fields.Html()
    root_cause = fields.Selection(
        [
            ("carrier", "Carrier / Line-haul"),
            ("warehouse", "Warehouse Handling"),
            ("customs", "Customs"),
            ("documentation", "Documentation"),
            ("system", "System / IT"),
            ("customer", "Customer Side"),
            ("weather", "Weather / Force Majeure"),
            ("other", "Other"),
        ],
        string="Root Cause Category",
        tracking=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    closed_date = fields.Datetime(readonly=True, copy=False, index=True)
    customer_tier = fields.Selection(
        TIER_SELECTION,
        compute="_compute_customer_tier",
        store=True,
        help="The customer's tier in the ticket's company when the ticket was "
        "opened or its customer changed.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    key_account_manager_id = fields.Many2one(
        related="commercial_partner_id.key_account_manager_id",
        string="Key-Account Manager",
        store=True,
        index=True,
    )
    color = fields.Integer()

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

    _sql_constraints = [
        (
            "number_company_uniq",
            "unique(number, company_id)",
            "A ticket number is unique per company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults and group expand
    # ------------------------------------------------------------------
    @api.model
    def _default_stage(self):
        return self.env["logistics.ticket.stage"].search(
            [("company_id", "in", [self.env.company.id, False])], limit=1
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("commercial_partner_id", "company_id")
    def _compute_customer_tier(self):
        for company in self.company_id:
            tickets = self.filtered(lambda t, c=company: t.company_id == c)
            partners = tickets.commercial_partner_id.with_company(company)
            tiers = {partner.id: partner.tier for partner in partners}
            for ticket in tickets:
                ticket.customer_tier = tiers.get(ticket.commercial_partner_id.id)
        for ticket in self.filtered(lambda t: not t.company_id):
            ticket.customer_tier = False

    @api.depends("commercial_partner_id", "company_id")
    def _compute_priority(self):
        for ticket in self:
            ticket.priority = ticket._tier_priority() or ticket.priority or "1"

    def _tier_priority(self):
        self.ensure_one()
        if not self.commercial_partner_id or not self.company_id:
            return False
        tier = self.commercial_partner_id.with_company(self.company_id).tier
        if not tier:
            return False
        policy = self.env["logistics.tier.policy"]._get_company_policy(self.company_id)
        # sudo: the tier's service level is configuration the ticket needs, also
        # when a portal user or an email opens it; only the priority comes out
        return policy.sudo()._service_level(tier).ticket_priority

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

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/logistics/tickets/{ticket.id}"

    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = (
                f"{ticket.number} {ticket.name}" if ticket.number else ticket.name
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _ticket_sequence(self, company):
        """The company's own ticket sequence.

        Companies get it when they are created (and at install); one created
        before has it created here, once: the company row is locked first, and
        storing the sequence on that row makes a concurrent first ticket fail to
        serialize instead of creating a second sequence (both would draw number
        1); Odoo retries that transaction, which then finds the sequence.
        """
        company = company.sudo()
        if company.logistics_ticket_sequence_id:
            return company.logistics_ticket_sequence_id
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_company WHERE id = %s FOR NO KEY UPDATE",
                company.id,
            )
        )
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", "logistics.ticket"), ("company_id", "=", company.id)],
            limit=1,
        ) or Sequence.create(
            {
                "name": self.env._(
                    "Service Tickets (%(company)s)", company=company.name
                ),
                "code": "logistics.ticket",
                "prefix": "TCK/%(year)s/",
                "padding": 5,
                "company_id": company.id,
            }
        )
        company.logistics_ticket_sequence_id = sequence
        company.flush_recordset(["logistics_ticket_sequence_id"])
        return sequence

    @api.model
    def _create_ticket_sequences(self):
        """Give every company its ticket sequence (install and update)."""
        companies = (
            self.env["res.company"].sudo().with_context(active_test=False).search([])
        )
        for company in companies:
            self._ticket_sequence(company)

    @api.model_create_multi
    def create(self, vals_list):
        new_label = _("New")
        for vals in vals_list:
            if not vals.get("number") or vals["number"] == new_label:
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["number"] = self._ticket_sequence(company).next_by_id()
            if vals.get("stage_id"):
                stage = self.env["logistics.ticket.stage"].browse(vals["stage_id"])
                now = vals.get("sla_start_date") or fields.Datetime.now()
                if stage.is_closed:
                    vals.setdefault("closed_date", now)
                    vals.setdefault("first_response_date", now)
                elif stage.pauses_sla:
                    vals.setdefault("sla_paused_since", now)
        tickets = super().create(vals_list)
        tickets._subscribe_account_team()
        tickets._sla_record_reached_targets()
        return tickets

    def write(self, vals):
        if "stage_id" in vals:
            stage = self.env["logistics.ticket.stage"].browse(vals["stage_id"])
            now = fields.Datetime.now()
            changes = {
                ticket: ticket._stage_change_values(stage, now) for ticket in self
            }
            if any(changes.values()):
                for ticket, extra in changes.items():
                    super(LogisticsTicket, ticket).write(dict(vals, **extra))
                result = True
            else:
                result = super().write(vals)
        else:
            result = super().write(vals)
        if "partner_id" in vals or "user_id" in vals:
            self._subscribe_account_team()
        if {"stage_id", "first_response_date"} & set(vals):
            self._sla_record_reached_targets()
        if vals.get("stage_id"):
            self._send_stage_rating_requests()
        return result

    def _stage_change_values(self, stage, now):
        """Values that go with moving this ticket into ``stage`` at ``now``."""
        self.ensure_one()
        values = {}
        if self.sla_paused_since and not stage.pauses_sla:
            paused = self._working_hours(self.sla_paused_since, now)
            values["sla_paused_since"] = False
            values["sla_paused_hours"] = self.sla_paused_hours + paused
            if not self.first_response_date:
                values["sla_response_paused_hours"] = (
                    self.sla_response_paused_hours + paused
                )
        elif stage.pauses_sla and not self.sla_paused_since and not stage.is_closed:
            values["sla_paused_since"] = now
        if stage.is_closed and not self.closed_date:
            values["closed_date"] = now
            if not self.first_response_date:
                values["first_response_date"] = now
        elif not stage.is_closed and self.closed_date:
            values["closed_date"] = False
        return values

    def _subscribe_account_team(self):
        """The key-account manager follows the tickets of their accounts."""
        for ticket in self:
            partners = ticket.key_account_manager_id.partner_id
            if ticket.partner_id:
                partners |= ticket.partner_id
            partners -= ticket.message_partner_ids
            if partners:
                ticket.message_subscribe(partner_ids=partners.ids)

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

    def _send_stage_rating_requests(self):
        for ticket in self:
            template = ticket.stage_id.rating_template_id
            if template and ticket.partner_id:
                ticket.rating_send_request(template, force_send=False)

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------
    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if not message.subtype_id.internal and message.message_type in (
            "comment",
            "email",
        ):
            internal_author = message.author_id.user_ids.filtered(
                lambda user: not user.share
            )
            waiting = self.filtered(lambda t: not t.first_response_date)
            if internal_author and waiting:
                waiting.sudo().write({"first_response_date": fields.Datetime.now()})
        return message

    def message_update(self, msg_dict, update_vals=None):
        # a customer's answer restarts a clock paused while waiting on them
        waiting = self.filtered(lambda t: t.sla_paused_since and not t.is_closed)
        if waiting:
            stage = self.env["logistics.ticket.stage"].search(
                [
                    ("is_closed", "=", False),
                    ("pauses_sla", "=", False),
                    ("company_id", "in", [*self.company_id.ids, False]),
                ],
                order="sequence desc, id desc",
                limit=1,
            )
            if stage:
                waiting.write({"stage_id": stage.id})
        return super().message_update(msg_dict, update_vals=update_vals)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for ticket in self:
            if ticket.partner_id:
                ticket._message_add_suggested_recipient(
                    recipients, partner=ticket.partner_id, reason=_("Customer")
                )
        return recipients

    def _rating_get_parent_field_name(self):
        return "team_id"

    # ------------------------------------------------------------------
    # Actions and cron
    # ------------------------------------------------------------------
    @api.model
    def _complaint_rate(self, complaints, shipments):
        return sla.complaint_rate(complaints, shipments)

    def _closing_stage(self):
        return self.env["logistics.ticket.stage"].search(
            [("is_closed", "=", True)], order="sequence desc, id desc", limit=1
        )

    def _can_be_closed_by_customer(self):
        self.ensure_one()
        closing = self._closing_stage()
        return bool(self.is_closed and closing and self.stage_id != closing)

    def action_close(self):
        closing = self._closing_stage()
        if not closing:
            raise UserError(_("No closing stage is configured."))
        self.write({"stage_id": closing.id})
        return True

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
