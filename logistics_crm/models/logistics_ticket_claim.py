from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SETTLEMENT_METHOD_SELECTION = [
    ("negotiation", "Negotiation"),
    ("mediation", "Mediation"),
    ("arbitration", "Arbitration"),
    ("litigation", "Litigation"),
]
CLAIM_STATE_SELECTION = [
    ("open", "Open"),
    ("proposed", "Settlement Proposed"),
    ("approved", "Settlement Approved"),
]


class LogisticsTicket(models.Model):
    """Claims on a ticket: what the customer claims (lines), the invoices it
    concerns, the settlement a rep proposes and the approval that turns it into
    a draft customer credit note, linked both ways."""

    _inherit = "logistics.ticket"

    is_claim = fields.Boolean(related="type_id.is_claim")
    claim_line_ids = fields.One2many(
        "logistics.claim.line",
        "ticket_id",
        string="Claim Lines",
        groups="logistics_crm.group_logistics_crm_user",
    )
    claim_amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_claim_amount",
        store=True,
        readonly=False,
        help="The total of the claim lines; without lines, the amount entered.",
    )
    claim_state = fields.Selection(
        CLAIM_STATE_SELECTION,
        default="open",
        tracking=True,
        copy=False,
        groups="logistics_crm.group_logistics_crm_user",
    )
    settlement_method = fields.Selection(
        SETTLEMENT_METHOD_SELECTION,
        tracking=True,
        copy=False,
        groups="logistics_crm.group_logistics_crm_user",
    )
    settled_amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        copy=False,
        groups="logistics_crm.group_logistics_crm_user",
    )
    settlement_approved_by_id = fields.Many2one(
        "res.users",
        string="Settlement Approved by",
        readonly=True,
        copy=False,
        groups="logistics_crm.group_logistics_crm_user",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "logistics_ticket_invoice_rel",
        "ticket_id",
        "move_id",
        string="Invoices",
        copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('company_id', '=', company_id), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        groups="account.group_account_invoice",
    )
    credit_note_ids = fields.One2many(
        "account.move",
        "logistics_ticket_id",
        string="Credit Notes",
        groups="account.group_account_invoice",
    )
    credit_note_count = fields.Integer(
        compute="_compute_credit_note_count",
        groups="account.group_account_invoice",
    )

    # written by the settlement actions only, never directly
    SETTLEMENT_STATE_FIELDS = ("claim_state", "settlement_approved_by_id")
    # fixed once the settlement is proposed
    SETTLEMENT_TERMS_FIELDS = ("settled_amount", "settlement_method")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("logistics_settlement_action") and not self.env.su:
            for vals in vals_list:
                if vals.get("claim_state") not in (None, False, "open") or vals.get(
                    "settlement_approved_by_id"
                ):
                    raise ValidationError(
                        self.env._(
                            "A claim's settlement moves only with its buttons "
                            "(propose, approve, reject)."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("logistics_settlement_action") and not self.env.su:
            if any(name in vals for name in self.SETTLEMENT_STATE_FIELDS):
                raise ValidationError(
                    self.env._(
                        "A claim's settlement moves only with its buttons (propose, "
                        "approve, reject)."
                    )
                )
            if any(name in vals for name in self.SETTLEMENT_TERMS_FIELDS) and any(
                ticket.sudo().claim_state not in (False, "open") for ticket in self
            ):
                raise ValidationError(
                    self.env._(
                        "The settlement is proposed or approved: reject it before "
                        "changing its amount or method."
                    )
                )
        return super().write(vals)

    @api.depends("claim_line_ids.amount")
    def _compute_claim_amount(self):
        for ticket in self:
            lines = ticket.sudo().claim_line_ids
            if lines:
                ticket.claim_amount = sum(lines.mapped("amount"))

    def _compute_credit_note_count(self):
        for ticket in self:
            ticket.credit_note_count = len(ticket.credit_note_ids)

    @api.constrains("claim_amount", "settled_amount")
    def _check_claim_amounts(self):
        for ticket in self.sudo():
            if ticket.claim_amount < 0 or ticket.settled_amount < 0:
                raise ValidationError(
                    self.env._("Claimed and settled amounts cannot be negative.")
                )

    @api.constrains("invoice_ids", "company_id", "partner_id")
    def _check_claim_invoices(self):
        for ticket in self.sudo():
            wrong = ticket.invoice_ids.filtered(
                lambda move, ticket=ticket: move.move_type != "out_invoice"
                or move.state != "posted"
                or move.company_id != ticket.company_id
                or move.commercial_partner_id != ticket.commercial_partner_id
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "A ticket links only posted customer invoices of its own "
                        "customer and company: %(invoices)s is not one.",
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    def _settlement_needs_manager(self):
        """Above the company's approval limit, or above the amount claimed."""
        self.ensure_one()
        limit = self.company_id.sudo().logistics_claim_approval_limit
        return self.settled_amount > self.claim_amount or self.settled_amount > limit

    def action_propose_settlement(self):
        for ticket in self:
            if ticket.claim_state != "open":
                raise UserError(
                    self.env._(
                        "%(ticket)s already has a settlement.", ticket=ticket.number
                    )
                )
            if not ticket.settlement_method or ticket.settled_amount <= 0:
                raise UserError(
                    self.env._(
                        "Set the settlement method and a settled amount above zero "
                        "before proposing the settlement of %(ticket)s.",
                        ticket=ticket.number,
                    )
                )
            ticket.with_context(
                logistics_settlement_action=True
            ).claim_state = "proposed"
        return True

    def action_reject_settlement(self):
        self._check_settlement_rights()
        self.filtered(lambda t: t.claim_state == "proposed").with_context(
            logistics_settlement_action=True
        ).claim_state = "open"
        return True

    def _check_settlement_rights(self):
        manager = self.env.user.has_group("logistics_crm.group_logistics_crm_manager")
        for ticket in self:
            if ticket._settlement_needs_manager() and not manager:
                raise UserError(
                    self.env._(
                        "Only a Logistics CRM manager approves the settlement of "
                        "%(ticket)s: %(amount)s is above the claim or above the "
                        "approval limit of %(limit)s.",
                        ticket=ticket.number,
                        amount=ticket.currency_id.format(ticket.settled_amount),
                        limit=ticket.currency_id.format(
                            ticket.company_id.sudo().logistics_claim_approval_limit
                        ),
                    )
                )

    def action_approve_settlement(self):
        """Approve the proposed settlements: each gets a draft customer credit
        note for the settled amount, reversing the linked invoice when there is
        exactly one."""
        self._check_settlement_rights()
        for ticket in self:
            if ticket.claim_state != "proposed":
                raise UserError(
                    self.env._(
                        "Propose the settlement of %(ticket)s before approving it.",
                        ticket=ticket.number,
                    )
                )
            if ticket.sudo().credit_note_ids.filtered(lambda m: m.state != "cancel"):
                raise UserError(
                    self.env._(
                        "%(ticket)s already has a credit note: cancel it before "
                        "approving another settlement.",
                        ticket=ticket.number,
                    )
                )
            credit_note = ticket._create_settlement_credit_note()
            ticket.with_context(logistics_settlement_action=True).write(
                {
                    "claim_state": "approved",
                    "settlement_approved_by_id": self.env.uid,
                }
            )
            ticket._logistics_log_note(
                self.env._(
                    "Settlement of %(amount)s approved: credit note %(note)s drafted.",
                    amount=ticket.currency_id.format(ticket.settled_amount),
                    note=credit_note.display_name,
                )
            )
        return True

    def _create_settlement_credit_note(self):
        self.ensure_one()
        invoices = self.sudo().invoice_ids
        invoice = invoices if len(invoices) == 1 else invoices.browse()
        if invoice and invoice.currency_id != self.currency_id:
            raise UserError(
                self.env._(
                    "%(invoice)s is in %(currency)s: settle it with a credit note "
                    "from the invoice itself, the claim is in %(company_currency)s.",
                    invoice=invoice.display_name,
                    currency=invoice.currency_id.name,
                    company_currency=self.currency_id.name,
                )
            )
        Move = self.env["account.move"].sudo().with_company(self.company_id)
        journal = invoice.journal_id or self.env["account.journal"].sudo().search(
            [
                ("type", "=", "sale"),
                *self.env["account.journal"]._check_company_domain(self.company_id),
            ],
            limit=1,
        )
        account = (
            invoice.invoice_line_ids.filtered("account_id")[:1].account_id
            or journal.default_account_id
        )
        if not account:
            raise UserError(
                self.env._(
                    "The sales journal of %(company)s has no default income account "
                    "for the credit note.",
                    company=self.company_id.name,
                )
            )
        method = dict(
            self._fields["settlement_method"]._description_selection(self.env)
        )[self.settlement_method]
        return Move.with_context(default_move_type="out_refund").create(
            {
                "move_type": "out_refund",
                "partner_id": self.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "journal_id": journal.id,
                "currency_id": self.currency_id.id,
                "invoice_date": fields.Date.context_today(self),
                "invoice_origin": self.number,
                "ref": self.env._(
                    "Claim %(ticket)s (%(method)s)", ticket=self.number, method=method
                ),
                "reversed_entry_id": invoice.id,
                "logistics_ticket_id": self.id,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "name": self.env._(
                                "Claim settlement %(ticket)s: %(title)s",
                                ticket=self.number,
                                title=self.name,
                            ),
                            "quantity": 1,
                            "price_unit": self.settled_amount,
                            "account_id": account.id,
                            "tax_ids": [fields.Command.clear()],
                        }
                    )
                ],
            }
        )

    def _claims_reopened_by(self, credit_notes):
        """Tickets whose last live credit note was cancelled or deleted go back to
        a proposed settlement."""
        for ticket in self.sudo():
            live = ticket.credit_note_ids.filtered(
                lambda move: move.state != "cancel" and move not in credit_notes
            )
            if ticket.claim_state == "approved" and not live:
                ticket.with_context(
                    logistics_settlement_action=True
                ).claim_state = "proposed"
                ticket._logistics_log_note(
                    self.env._(
                        "The credit note was cancelled: the settlement is back to "
                        "proposed."
                    )
                )

    @api.readonly
    def action_open_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        action["domain"] = [("logistics_ticket_id", "=", self.id)]
        action["context"] = {"default_move_type": "out_refund", "create": False}
        return action
