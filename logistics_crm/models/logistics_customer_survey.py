import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Up to this many accounts Send Survey Now sends in the request; above it the
# background jobs' scheduled action sends them in committed batches. One by one
# (an answer token and an email rendered in the contact's language each), a
# survey took 42 ms on the 2-core bench machine under load (200 in 8.4 s), so
# 50 accounts take one to two seconds.
SURVEY_AT_ONCE_ACCOUNTS = 50


class LogisticsCustomerTier(models.Model):
    """Relationship surveys of the account: sent on its grade's cadence (or on
    demand), the last answer kept for the health score."""

    _inherit = "logistics.customer.tier"

    survey_sent_date = fields.Date(string="Last Survey Sent", readonly=True)
    survey_date = fields.Date(string="Last Survey Answered", readonly=True)
    survey_recommend_score = fields.Integer(
        string="Would Recommend (0-10)", readonly=True
    )
    survey_score = fields.Float(
        string="Last Survey Score",
        readonly=True,
        digits=(16, 1),
        help="0-100 from the last answered relationship survey: the would-recommend "
        "answer and the mean of the service-quality dimensions.",
    )
    relationship_survey_ids = fields.One2many(
        "logistics.relationship.survey", "account_id", string="Relationship Surveys"
    )

    def _survey_contact(self):
        """Whom the survey goes to: the customer itself when it has an email,
        else its first contact with one."""
        self.ensure_one()
        customer = self.partner_id
        if customer.email:
            return customer
        return customer.child_ids.filtered(
            lambda contact: contact.email and contact.type == "contact"
        )[:1]

    def _send_relationship_surveys(self, policy, today):
        """Send the policy's survey to each account's contact, one answer token
        per account, queued as emails in the contact's language.

        :return: the relationship surveys created (accounts without a contact
            with an email are skipped)
        """
        survey = policy.survey_id.sudo()
        if not survey.active or not self:  # none set, or archived
            return self.env["logistics.relationship.survey"]
        vals_list, sent = [], self.browse()
        for account in self.sudo():
            contact = account._survey_contact()
            if not contact:
                continue
            try:
                with self.env.cr.savepoint():
                    answer = survey._create_answer(
                        partner=contact, check_attempts=False
                    )
            except UserError:
                # e.g. the survey's access changed since: this account waits
                _logger.warning(
                    "No relationship survey for %s: the survey refused the answer",
                    account.partner_id.display_name,
                )
                continue
            vals_list.append(
                {
                    "account_id": account.id,
                    "partner_id": account.partner_id.id,
                    "company_id": account.company_id.id,
                    "contact_id": contact.id,
                    "tier": account.tier,
                    "manager_id": account.key_account_manager_id.id,
                    "user_input_id": answer.id,
                    "sent_date": today,
                }
            )
            sent |= account
        surveys = self.env["logistics.relationship.survey"].sudo().create(vals_list)
        sent.sudo().write({"survey_sent_date": today})
        template = self.env.ref("logistics_crm.mail_template_relationship_survey")
        template.sudo().send_mail_batch(surveys.ids)
        return surveys

    @api.model
    def _due_for_survey(self, policy, today):
        """The company's accounts whose grade asks for a survey and whose last one
        is that many months old (never asked first, then by value), at most the
        policy's daily limit; only customers with somebody to ask."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id
                  FROM logistics_customer_tier t
                  JOIN logistics_customer_grade g
                    ON g.policy_id = %(policy)s AND g.code = t.tier
                  JOIN res_partner p ON p.id = t.partner_id
                 WHERE t.company_id = %(company)s
                   AND g.survey_interval_months > 0
                   AND t.is_lost IS NOT TRUE
                   AND COALESCE(t.lifecycle_stage, '') != 'lapsed'
                   AND p.active
                   AND (t.survey_sent_date IS NULL
                        OR t.survey_sent_date <= %(today)s
                           - make_interval(months => g.survey_interval_months))
                   AND (COALESCE(p.email, '') != ''
                        OR EXISTS (SELECT 1 FROM res_partner c
                                    WHERE c.parent_id = p.id AND c.active
                                      AND c.type = 'contact'
                                      AND COALESCE(c.email, '') != ''))
                 ORDER BY t.survey_sent_date NULLS FIRST, t.value DESC NULLS LAST, t.id
                 LIMIT %(limit)s
                """,
                policy=policy.id,
                company=policy.company_id.id,
                today=today,
                limit=policy.survey_daily_limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _check_no_survey_job(self):
        """An account whose survey is being sent in the background is not
        asked again by a second click."""
        pending = (
            self.env["logistics.job.run"]
            .sudo()
            .search_count(
                [
                    ("job", "=", "survey"),
                    ("state", "in", ("queued", "running")),
                    ("account_ids", "in", self.ids),
                ]
            )
        )
        if pending:
            raise UserError(
                self.env._(
                    "The relationship survey of some of these customers is already "
                    "being sent in the background. You get a notification when it "
                    "ends."
                )
            )

    def _request_surveys(self):
        """Store the accounts on a background request and wake its scheduled
        action; the notification says it started."""
        _run, notification = self.env["logistics.job.run"]._start_request(
            "survey",
            self.company_id,
            len(self),
            {"account_ids": [fields.Command.set(self.ids)]},
            "logistics_crm.ir_cron_job_requests",
            (
                self.env._("Surveys started in the background"),
                self.env._(
                    "The relationship survey is sent to %(count)s customers in the "
                    "background. You get a notification when it ends.",
                    count=len(self),
                ),
                {"type": "ir.actions.act_window_close"},
            ),
        )
        return notification

    def action_send_relationship_survey(self):
        """Send the survey now (on demand), whatever the grade's cadence."""
        self.check_access("read")
        policy = self.env["logistics.tier.policy"]
        self._check_no_survey_job()
        for account in self:
            company_policy = policy._get_company_policy(account.company_id)
            if not company_policy.survey_id.sudo().active:
                raise UserError(
                    self.env._(
                        "No relationship survey is set on the tier policy of "
                        "%(company)s.",
                        company=account.company_id.name,
                    )
                )
            if not account._survey_contact():
                raise UserError(
                    self.env._(
                        "%(customer)s has no email address, nor a contact with one: "
                        "nobody to send the survey to.",
                        customer=account.partner_id.display_name,
                    )
                )
        if len(self) > SURVEY_AT_ONCE_ACCOUNTS:
            return self._request_surveys()
        for account in self:
            company_policy = policy._get_company_policy(account.company_id)
            account._send_relationship_surveys(
                company_policy, company_policy._company_today()
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The relationship survey was sent."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
