from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..logic import account_load
from ..models.const import ACCOUNT_ROLE_FIELDS

# Up to this many accounts a handover runs in the wizard's request; above it the
# background jobs' scheduled action does it, in committed batches. Each account
# gets its own handover note (a few reads and a chatter message): measured at
# 10 ms an account on the 2-core bench machine under load (200 accounts in
# 2.0 s), so 100 accounts take about a second.
HANDOVER_AT_ONCE_ACCOUNTS = 100


class LogisticsAccountHandoverWizard(models.TransientModel):
    """Hand a leaving rep's accounts over, with everything still open on them."""

    _name = "logistics.account.handover.wizard"
    _description = "Key-Account Handover"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="Only the accounts, visits, activities and tickets of this company "
        "are handed over and reported.",
    )
    from_user_id = fields.Many2one(
        "res.users",
        string="Leaving Manager",
        required=True,
        domain="[('share', '=', False)]",
    )
    mode = fields.Selection(
        [("user", "To one manager"), ("balance", "Spread over the pool by load")],
        required=True,
        default="user",
    )
    to_user_id = fields.Many2one(
        "res.users", string="New Manager", domain="[('share', '=', False)]"
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Accounts",
        domain="[('key_account_manager_id', '=', from_user_id)]",
        help="Leave empty to hand over every account of the leaving manager.",
    )
    reason = fields.Char(default=lambda self: self.env._("Handover"))

    @api.onchange("from_user_id")
    def _onchange_from_user_id(self):
        self.partner_ids = (
            self._team_accounts().partner_id if self.from_user_id else False
        )

    def _team_accounts(self):
        """The leaving manager's accounts in the wizard's company, never another
        company's, biggest first."""
        return (
            self.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("key_account_manager_id", "=", self.from_user_id.id),
                ],
                order="value desc, id",
            )
        )

    def _accounts(self):
        """Accounts to hand over: the chosen ones, else all of them."""
        accounts = self._team_accounts()
        if self.partner_ids:
            accounts = accounts.filtered(lambda row: row.partner_id in self.partner_ids)
        return accounts

    def _targets(self, accounts):
        """{new manager: accounts} for the chosen mode."""
        if self.mode == "user":
            return {self.to_user_id: accounts}
        policy = self.env["logistics.tier.policy"]._get_company_policy(self.company_id)
        capacities = policy._pool_capacities(exclude=self.from_user_id)
        if not capacities:
            raise UserError(
                _("The tier policy has no other key-account manager to spread to.")
            )
        loads = policy._manager_loads()
        loads.pop(self.from_user_id.id, None)
        assigned, left = account_load.spread(
            [(row.id, row.tier) for row in accounts],
            loads,
            capacities,
            policy._load_weights(),
        )
        if left:
            raise UserError(
                _(
                    "The pool has no free capacity for %(count)s of these accounts: "
                    "raise the managers' capacity or hand them to one manager.",
                    count=len(left),
                )
            )
        by_user = {}
        for account_id, user_id in assigned.items():
            by_user.setdefault(user_id, []).append(account_id)
        return {
            self.env["res.users"].browse(user_id): accounts.browse(account_ids)
            for user_id, account_ids in by_user.items()
        }

    def action_handover(self):
        self.ensure_one()
        if self.mode == "user" and not self.to_user_id:
            raise UserError(_("Choose the manager who takes the accounts over."))
        if self.mode == "user" and self.to_user_id == self.from_user_id:
            raise UserError(_("The new manager must be someone else."))
        accounts = self._accounts()
        if not accounts:
            raise UserError(
                _(
                    "%(user)s manages no account to hand over.",
                    user=self.from_user_id.name,
                )
            )
        Run = self.env["logistics.job.run"]
        Run._check_no_open_handover(self.company_id, self.from_user_id)
        # refused now, not in the background, when the pool has no room
        targets = self._targets(accounts)
        if len(accounts) > HANDOVER_AT_ONCE_ACCOUNTS:
            return self._request_handover(accounts)
        for new_user, partners in targets.items():
            self._transfer(partners, new_user)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Accounts handed over"),
                "message": _(
                    "%(count)s accounts of %(user)s handed over.",
                    count=len(accounts),
                    user=self.from_user_id.name,
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _request_handover(self, accounts):
        """Store the handover on a `logistics.job.run` (the wizard is transient)
        and wake its scheduled action; the notification says it started."""
        _run, notification = self.env["logistics.job.run"]._start_request(
            "handover",
            self.company_id,
            len(accounts),
            {
                "from_user_id": self.from_user_id.id,
                "to_user_id": self.to_user_id.id if self.mode == "user" else False,
                "handover_mode": self.mode,
                "handover_reason": self.reason,
                "partner_ids": [fields.Command.set(self.partner_ids.ids)],
            },
            "logistics_crm.ir_cron_job_requests",
            (
                self.env._("Handover started in the background"),
                self.env._(
                    "The %(count)s accounts of %(user)s are handed over in the "
                    "background. You get a notification when it ends.",
                    count=len(accounts),
                    user=self.from_user_id.name,
                ),
                {"type": "ir.actions.act_window_close"},
            ),
        )
        return notification

    def _transfer(self, accounts, new_user):
        old_user = self.from_user_id
        reason_ctx = {"logistics_assignment_reason": self.reason}
        for role in ACCOUNT_ROLE_FIELDS:
            holders = accounts.filtered(lambda row, role=role: row[role] == old_user)
            if holders:
                holders.with_context(**reason_ctx).write({role: new_user.id})
        partners = accounts.partner_id.with_company(self.company_id)
        contacts = self.env["res.partner"].search(
            [
                ("commercial_partner_id", "in", partners.ids),
                ("company_id", "in", [self.company_id.id, False]),
            ]
        )
        Visit = self.env["logistics.visit"].sudo()
        Visit.search(
            [
                ("partner_id", "in", partners.ids),
                ("user_id", "=", old_user.id),
                ("state", "=", "planned"),
                ("company_id", "=", self.company_id.id),
            ]
        ).write({"user_id": new_user.id})
        # activities carry no company: those on the accounts follow the account
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", contacts.ids),
                ("user_id", "=", old_user.id),
            ]
        ).write({"user_id": new_user.id})
        self._transfer_tickets(partners, old_user, new_user)
        for partner in partners:
            partner._logistics_log_note(
                self._handover_note(partner, old_user, new_user)
            )

    def _transfer_tickets(self, partners, old_user, new_user):
        """Open service tickets the leaving manager handles follow the account."""
        self.env["logistics.ticket"].sudo().search(
            [
                ("commercial_partner_id", "in", partners.ids),
                ("user_id", "=", old_user.id),
                ("is_closed", "=", False),
                ("company_id", "=", self.company_id.id),
            ]
        ).write({"user_id": new_user.id})

    def _handover_note(self, partner, old_user, new_user):
        visits = (
            self.env["logistics.visit"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "=", "done"),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=3,
            )
        )
        changes = (
            self.env["logistics.tier.history"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=3,
            )
        )
        lines = [
            Markup("<p><b>%s</b></p>")
            % _(
                "Handover from %(old)s to %(new)s",
                old=old_user.name,
                new=new_user.name,
            ),
            Markup("<p>%s %s</p>") % (_("Tier:"), partner.tier or _("not ranked yet")),
        ]
        lines.append(Markup("<p><b>%s</b></p><ul>") % _("Last visits"))
        for visit in visits:
            lines.append(
                Markup("<li>%s — %s: %s</li>")
                % (
                    format_date(
                        self.env, fields.Datetime.context_timestamp(self, visit.date)
                    ),
                    visit.user_id.name,
                    escape(visit.next_steps or "-"),
                )
            )
        if not visits:
            lines.append(Markup("<li>%s</li>") % _("none"))
        lines.append(Markup("</ul><p><b>%s</b></p><ul>") % _("Last tier changes"))
        for change in changes:
            lines.append(
                Markup("<li>%s: %s → %s</li>")
                % (
                    format_date(
                        self.env, fields.Datetime.context_timestamp(self, change.date)
                    ),
                    # a first grade came from nowhere: said as the note's
                    # "Tier:" line says it, not as a bare "-"
                    change.previous_tier or _("not ranked yet"),
                    change.new_tier,
                )
            )
        if not changes:
            lines.append(Markup("<li>%s</li>") % _("none"))
        lines.append(Markup("</ul>"))
        open_tickets = (
            self.env["logistics.ticket"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("is_closed", "=", False),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=10,
            )
        )
        lines.append(Markup("<p><b>%s</b></p><ul>") % _("Open tickets"))
        for ticket in open_tickets:
            lines.append(Markup("<li>%s</li>") % ticket.display_name)
        if not open_tickets:
            lines.append(Markup("<li>%s</li>") % _("none"))
        lines.append(Markup("</ul>"))
        return Markup("").join(lines)
