import logging

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

# Surveys sent in one committed call of the runner (a batch of accounts of one
# company is sent together: about 9 ms a survey in `make bench`, 1,000 in 9.4 s)
SURVEY_BATCH = 200


class LogisticsJobRun(models.Model):
    """Send Survey Now on many accounts, done in the background.

    The accounts still to ask are kept on the request; each committed batch of
    the background jobs' scheduled action sends theirs and lets them go, so a
    batch is never sent twice.
    """

    _inherit = "logistics.job.run"

    account_ids = fields.Many2many(
        "logistics.customer.tier",
        "logistics_job_run_account_rel",
        "run_id",
        "account_id",
        string="Accounts to Survey",
        readonly=True,
        help="The customer accounts whose relationship survey is still to send.",
    )

    def _request_batch_survey(self):
        """Send the survey to the next `SURVEY_BATCH` accounts, in a savepoint.

        :return: (accounts done, accounts remaining)
        """
        self.ensure_one()
        requester = self.requested_by_id.sudo() or self.env.user
        env = self.with_user(requester).with_context(lang=requester.lang or "en_US").env
        batch = self.account_ids[:SURVEY_BATCH]
        Policy = env["logistics.tier.policy"]
        try:
            with self.env.cr.savepoint():
                for company, accounts in batch.grouped("company_id").items():
                    policy = Policy._get_company_policy(company)
                    accounts.with_env(env).with_company(
                        company
                    )._send_relationship_surveys(policy, policy._company_today())
        except Exception as error:
            _logger.exception("Logistics CRM: the background survey sending failed")
            reason = (
                error.args[0]
                if isinstance(error, UserError | ValidationError)
                else env._("see the server log")
            )
            self.write(
                {
                    "failed_count": self.failed_count + len(batch),
                    "summary": env._(
                        "The relationship surveys stopped after %(done)s of "
                        "%(total)s customers (%(reason)s).",
                        done=self.done_count,
                        total=self.total_count,
                        reason=reason,
                    ),
                }
            )
            self._end_request()
            return 0, 0
        self.write(
            {
                "account_ids": [fields.Command.unlink(a.id) for a in batch],
                "done_count": self.done_count + len(batch),
            }
        )
        remaining = len(self.account_ids)
        if not remaining:
            self.summary = env._(
                "The relationship survey was sent to %(count)s customers.",
                count=self.done_count,
            )
            self._end_request()
        return len(batch), remaining
