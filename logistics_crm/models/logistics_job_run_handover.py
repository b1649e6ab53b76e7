import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

_logger = logging.getLogger(__name__)

# Accounts handed over in one committed call of the runner: each gets its own
# handover note (a few reads and a chatter message), about 10 ms an account, so
# a call takes seconds, far from any time limit.
HANDOVER_BATCH = 500


class LogisticsJobRun(models.Model):
    """A large book's handover, done in the background.

    The handover wizard is transient (vacuumed within the hour): above
    `HANDOVER_AT_ONCE_ACCOUNTS` it stores what to do here and triggers the
    requests' scheduled action, which hands the accounts over in committed
    batches, biggest first, as the manager who asked. The accounts still to do
    are those the leaving manager still manages (among the chosen ones): a
    batch that moved them is never done twice.
    """

    _inherit = "logistics.job.run"

    from_user_id = fields.Many2one(
        "res.users", string="Leaving Manager", readonly=True, ondelete="cascade"
    )
    to_user_id = fields.Many2one(
        "res.users", string="New Manager", readonly=True, ondelete="set null"
    )
    handover_mode = fields.Selection(
        [("user", "To one manager"), ("balance", "Spread over the pool by load")],
        string="Mode",
        readonly=True,
    )
    handover_reason = fields.Char(string="Reason", readonly=True)
    partner_ids = fields.Many2many(
        "res.partner",
        "logistics_job_run_partner_rel",
        "run_id",
        "partner_id",
        string="Accounts",
        readonly=True,
        help="The accounts chosen in the wizard; empty: every account of the "
        "leaving manager.",
    )

    def init(self):
        # one handover of a manager's book at a time, even for two requests
        # committed at once (the check below gives the readable message)
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS logistics_job_run_one_open_handover
                ON logistics_job_run (company_id, from_user_id)
             WHERE job = 'handover' AND state IN ('queued', 'running')
            """
        )

    @api.model
    def _check_no_open_handover(self, company, user):
        """Refuse a handover of `user`'s book while one runs in the background
        (the index above refuses it for any other way in)."""
        running = self.sudo().search(
            [
                ("job", "=", "handover"),
                ("state", "in", ("queued", "running")),
                ("company_id", "=", company.id),
                ("from_user_id", "=", user.id),
            ],
            limit=1,
        )
        if running:
            raise ValidationError(
                self.env._(
                    "The accounts of %(user)s are already being handed over in the "
                    "background since %(since)s (%(done)s of %(total)s done). You "
                    "get a notification when it ends.",
                    user=user.name,
                    since=format_datetime(
                        self.env, running.date_start, dt_format="short"
                    ),
                    done=running.done_count,
                    total=running.total_count,
                )
            )

    def _handover_wizard(self):
        """The wizard's logic on this request, as the manager who asked."""
        self.ensure_one()
        requester = self.requested_by_id.sudo() or self.env.user
        Wizard = (
            self.env["logistics.account.handover.wizard"]
            .with_user(requester)
            .with_company(self.company_id)
            .with_context(lang=requester.lang or "en_US")
        )
        return Wizard.new(
            {
                "company_id": self.company_id.id,
                "from_user_id": self.from_user_id.id,
                "to_user_id": self.to_user_id.id,
                "mode": self.handover_mode,
                "reason": self.handover_reason,
                "partner_ids": [fields.Command.set(self.partner_ids.ids)],
            }
        )

    def _request_batch_handover(self):
        """Hand over the next `HANDOVER_BATCH` accounts, in a savepoint.

        :return: (accounts done, accounts remaining)
        """
        self.ensure_one()
        wizard = self._handover_wizard()
        accounts = wizard._accounts()
        batch = accounts[:HANDOVER_BATCH]
        try:
            with self.env.cr.savepoint():
                if batch:
                    for new_user, partners in wizard._targets(batch).items():
                        wizard._transfer(partners, new_user)
        except Exception as error:
            _logger.exception(
                "Logistics CRM: the background handover of %s's accounts failed",
                self.from_user_id.name,
            )
            reason = (
                error.args[0]
                if isinstance(error, UserError | ValidationError)
                else wizard.env._("see the server log")
            )
            self.write(
                {
                    "failed_count": self.failed_count + len(batch),
                    "summary": wizard.env._(
                        "The handover of %(user)s's accounts stopped after "
                        "%(done)s of %(total)s accounts (%(reason)s). Hand the "
                        "others over again.",
                        user=self.from_user_id.name,
                        done=self.done_count,
                        total=self.total_count,
                        reason=reason,
                    ),
                }
            )
            self._end_request()
            return 0, 0
        remaining = len(accounts) - len(batch)
        self.done_count += len(batch)
        if not remaining:
            self.summary = wizard.env._(
                "%(count)s accounts of %(user)s handed over.",
                count=self.done_count,
                user=self.from_user_id.name,
            )
            self._end_request()
        return len(batch), remaining
