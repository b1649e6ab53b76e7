import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..compat import ODOO_19, Constraint
from ..logic import sla
from .const import PRIORITY_SELECTION, grade_selection

_logger = logging.getLogger(__name__)


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

    # the team's, as the activities they come from: 19.0 checks the activities'
    # groups when a customer reads a ticket (a portal read() of every field)
    activity_exception_decoration = fields.Selection(groups="base.group_user")
    activity_exception_icon = fields.Char(groups="base.group_user")

    number = fields.Char(
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
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
        default=lambda s: s._default_handler(),
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
        grade_selection,
        compute="_compute_customer_tier",
        store=True,
        help="The customer's tier in the ticket's company when the ticket was "
        "opened or its customer changed.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        compute="_compute_key_account_manager_id",
        store=True,
        index="btree_not_null",
        help="The key-account manager of the customer's account in the ticket's "
        "company; kept in step when the account changes hands.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    color = fields.Integer()

    _number_company_uniq = Constraint(
        "unique(number, company_id)",
        "A ticket number is unique per company.",
    )

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
    def _compute_key_account_manager_id(self):
        managers = self.env["logistics.customer.tier"]._key_account_managers(
            self, "commercial_partner_id"
        )
        for ticket in self:
            ticket.key_account_manager_id = managers.get(ticket.id, False)

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

    def _subscribe_account_team(self, contacts=True):
        """The key-account manager follows the tickets of their accounts, the
        customer's contact its own tickets: one subscription call per person."""
        for manager, tickets in self.grouped("key_account_manager_id").items():
            if manager.partner_id:
                tickets.message_subscribe(partner_ids=manager.partner_id.ids)
        if contacts:
            for contact, tickets in self.grouped("partner_id").items():
                if contact:
                    tickets.message_subscribe(partner_ids=contact.ids)

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
            elif not internal_author and message.author_id:
                # the customer answered in the portal chatter
                self.filtered(
                    lambda t: message.author_id.commercial_partner_id
                    == t.commercial_partner_id
                ).sudo()._customer_answered()
        return message

    def _customer_answered(self):
        """A customer's answer restarts a clock paused while waiting on them."""
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

    def message_update(self, msg_dict, update_vals=None):
        self._customer_answered()
        return super().message_update(msg_dict, update_vals=update_vals)

    def _message_get_suggested_recipients(self, *args, **kwargs):
        recipients = super()._message_get_suggested_recipients(*args, **kwargs)
        if ODOO_19:
            # 19.0 suggests the record's contact (partner_id) itself
            return recipients
        for ticket in self:
            if ticket.partner_id:
                ticket._message_add_suggested_recipient(
                    recipients, partner=ticket.partner_id, reason=_("Customer")
                )
        return recipients

    def _rating_get_parent_field_name(self):
        return "team_id"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def _complaint_rate(self, complaints, shipments):
        return sla.complaint_rate(complaints, shipments)

    @api.model
    def _default_handler(self):
        """Backend tickets are handled by their creator by default."""
        return self.env.user if not self.env.user.share else False

    def _closing_stage(self):
        """The last closed stage the tickets' company may use."""
        return self.env["logistics.ticket.stage"].search(
            [
                ("is_closed", "=", True),
                ("company_id", "in", [*self.company_id.ids, False]),
            ],
            order="sequence desc, id desc",
            limit=1,
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
