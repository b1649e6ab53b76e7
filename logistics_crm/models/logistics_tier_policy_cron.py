import logging

from odoo import fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class LogisticsTierPolicy(models.Model):
    """Scheduled jobs run one company per call.

    Odoo's cron runner commits after each call and calls again while
    `_notify_progress` reports work remaining, so a long job over many companies
    is a series of short transactions, and a company that fails is rolled back
    alone (savepoint), logged with its name, and does not stop the others.
    """

    _inherit = "logistics.tier.policy"

    cron_recompute_date = fields.Datetime(
        string="Last Scheduled Recompute", readonly=True, copy=False
    )
    cron_visits_date = fields.Datetime(
        string="Last Scheduled Visit Planning", readonly=True, copy=False
    )
    cron_planner_date = fields.Datetime(
        string="Last Scheduled Activity Planning", readonly=True, copy=False
    )

    def _company_today(self):
        """Today in the company's time zone: a nightly job's "today"."""
        self.ensure_one()
        return self.company_id._logistics_today()

    def _run_company_job(self, job_name):
        """Run one company's job in a savepoint.

        :return: True when it succeeded; a failure is rolled back and logged
        """
        self.ensure_one()
        job = getattr(self.with_company(self.company_id), job_name)
        try:
            with self.env.cr.savepoint():
                job(self._company_today())
        except Exception:
            _logger.exception(
                "Logistics CRM: %s failed for company %s (id %s); "
                "the other companies go on",
                job_name,
                self.company_id.name,
                self.company_id.id,
            )
            return False
        return True

    def _cron_run_per_company(self, marker_field, job_name):
        """Run `job_name(today)` on the next company not done in this run.

        Called by Odoo's runner (progress in the context): one company per call,
        picked with SKIP LOCKED so that servers running at once share the work.
        A company is done in this run when its marker is later than the job's
        last complete run (`lastcall`). Called directly (code, shell), it runs
        every company in one go.
        """
        policies = self.sudo().search([])
        if not self.env.context.get("ir_cron_progress_id"):
            for policy in policies:
                policy._run_company_job(job_name)
                policy[marker_field] = fields.Datetime.now()
            return
        lastcall = self.env.context.get("lastcall")
        marker = SQL.identifier(marker_field)
        pending = SQL(
            "(%(marker)s IS NULL OR %(marker)s < %(lastcall)s)",
            marker=marker,
            lastcall=lastcall or fields.Datetime.now(),
        )
        if not lastcall:
            pending = SQL("%s IS NULL", marker)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM logistics_tier_policy
                 WHERE %(pending)s
                 ORDER BY id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """,
                pending=pending,
            )
        )
        row = self.env.cr.fetchone()
        self.env.cr.execute(
            SQL("SELECT COUNT(*) FROM logistics_tier_policy WHERE %s", pending)
        )
        remaining = self.env.cr.fetchone()[0]
        if not row:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        policy = self.sudo().browse(row[0])
        policy._run_company_job(job_name)
        policy[marker_field] = fields.Datetime.now()
        self.env["ir.cron"]._notify_progress(done=1, remaining=remaining - 1)
        if remaining > 1 and not self.env.context.get("cron_id"):
            # "Run Manually" makes one call: let the runner do the other companies
            progress = (
                self.env["ir.cron.progress"]
                .sudo()
                .browse(self.env.context["ir_cron_progress_id"])
            )
            progress.cron_id._trigger()

    # ------------------------------------------------------------------
    # One company's part of each job
    # ------------------------------------------------------------------
    def _cron_schedule_company_visits(self, today):
        self.env["logistics.visit"].sudo()._schedule_visits(policy=self, today=today)

    def _cron_plan_company_activities(self, today):
        Partner = self.env["res.partner"].sudo()
        Partner._update_order_rhythm(self, today)
        Partner._plan_proactive_contacts(self, today)
        Partner._plan_reengagements(self, today)
        Partner._plan_birthday_greetings(self, today)
        self.env["logistics.customer.tier"].sudo()._update_payment_behaviour(
            self, today
        )
        Partner._plan_collection_calls(self, today)
        self._send_due_surveys(today)
        self.env["logistics.customer.tier"].sudo()._update_health(self, today)
