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

    A run of a job is a `logistics.job.run` record; each company's marker
    points at the last run that did it. A call goes on with the open run only
    when the job's previous call reported work remaining; any other call starts
    a new run. Two runs in the same second are thus two runs, whatever the
    clock says.
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
    cron_recompute_run_id = fields.Many2one(
        "logistics.job.run",
        string="Last Recompute Run",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    cron_visits_run_id = fields.Many2one(
        "logistics.job.run",
        string="Last Visit Planning Run",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    cron_planner_run_id = fields.Many2one(
        "logistics.job.run",
        string="Last Activity Planning Run",
        readonly=True,
        copy=False,
        ondelete="set null",
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

    def _mark_job_done(self, job, run):
        """This company is done in `run` (failed ones too: they were tried)."""
        self.write(
            {f"cron_{job}_run_id": run.id, f"cron_{job}_date": fields.Datetime.now()}
        )
        run.company_count += len(self)

    def _previous_call_left_work(self, progress_id):
        """Whether the job's call before this one reported work remaining."""
        self.env.cr.execute(
            SQL(
                """
                SELECT previous.remaining
                  FROM ir_cron_progress current
                  JOIN ir_cron_progress previous
                    ON previous.cron_id = current.cron_id
                   AND previous.id < current.id
                 WHERE current.id = %s
                 ORDER BY previous.id DESC
                 LIMIT 1
                """,
                progress_id,
            )
        )
        row = self.env.cr.fetchone()
        return bool(row and row[0])

    def _cron_run_per_company(self, job, job_name):
        """Run `job_name(today)` on the next company not done in this run.

        Called by Odoo's runner (progress in the context): one company per call,
        picked with SKIP LOCKED (a company another transaction holds is its
        work). Called directly (code, shell), it runs every company in one go,
        as one run.

        :param job: the run's job key (`logistics.job.run`'s `job`)
        """
        Run = self.env["logistics.job.run"].sudo()
        marker = SQL.identifier(f"cron_{job}_run_id")
        # the queries below read progress, runs and markers in SQL
        self.env.flush_all()
        progress_id = self.env.context.get("ir_cron_progress_id")
        if not progress_id:
            run = Run._open_run(job, continued=False)
            for policy in self.sudo().search([]):
                policy._run_company_job(job_name)
                policy._mark_job_done(job, run)
            run._close()
            return
        run = Run._open_run(job, continued=self._previous_call_left_work(progress_id))
        pending = SQL(
            "(%(marker)s IS NULL OR %(marker)s != %(run)s)", marker=marker, run=run.id
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM logistics_tier_policy
                 WHERE %s
                 ORDER BY id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """,
                pending,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            run._close()
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        policy = self.sudo().browse(row[0])
        policy._run_company_job(job_name)
        policy._mark_job_done(job, run)
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT COUNT(*) FROM logistics_tier_policy WHERE %s", pending)
        )
        remaining = self.env.cr.fetchone()[0]
        if not remaining:
            run._close()
        self.env["ir.cron"]._notify_progress(done=1, remaining=remaining)
        if remaining and not self.env.context.get("cron_id"):
            # "Run Manually" makes one call: let the runner do the other companies
            progress = self.env["ir.cron.progress"].sudo().browse(progress_id)
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
