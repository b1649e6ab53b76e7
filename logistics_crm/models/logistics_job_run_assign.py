import logging

from odoo import models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class LogisticsJobRun(models.Model):
    """Assign Managers Now on a large company, done in the background: the
    company's whole assignment in one committed call of the runner, as the
    monthly job does it."""

    _inherit = "logistics.job.run"

    def _request_batch_assign(self):
        """Assign the company's customers without a manager, in a savepoint.

        :return: (companies done, companies remaining)
        """
        self.ensure_one()
        requester = self.requested_by_id.sudo() or self.env.user
        env = self.with_context(lang=requester.lang or "en_US").env
        policy = env["logistics.tier.policy"]._get_company_policy(self.company_id)
        try:
            with self.env.cr.savepoint():
                assigned, left = policy.with_company(
                    self.company_id
                )._auto_assign_key_accounts()
        except Exception as error:
            _logger.exception(
                "Logistics CRM: the background key-account assignment of %s failed",
                self.company_id.name,
            )
            reason = (
                error.args[0]
                if isinstance(error, UserError | ValidationError)
                else env._("see the server log")
            )
            self.write(
                {
                    "failed_count": 1,
                    "summary": env._(
                        "The key-account assignment of %(company)s failed "
                        "(%(reason)s); nothing was assigned.",
                        company=self.company_id.name,
                        reason=reason,
                    ),
                }
            )
            self._end_request()
            return 0, 0
        self.write(
            {
                "done_count": len(assigned),
                "summary": env._(
                    "%(assigned)s customers of %(company)s got a key-account "
                    "manager; %(left)s are left without one (no free capacity).",
                    assigned=len(assigned),
                    company=self.company_id.name,
                    left=len(left),
                ),
            }
        )
        self._end_request()
        return 1, 0
