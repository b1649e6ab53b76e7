import logging
from datetime import timedelta

from psycopg2.extensions import TransactionRollbackError

from odoo import fields, models
from odoo.tools import SQL

from ..compat import MANUAL_RUN_IS_ONE_CALL, is_scheduled_call, notify_progress

_logger = logging.getLogger(__name__)

# the local hour from which each job's night has come for a company
JOB_LOCAL_HOURS = {"recompute": 2, "visits": 3, "planner": 4, "reclaim": 5}
# jobs done once a local month (the others once a local day)
MONTHLY_JOBS = {"recompute"}
# what a company's job returns when it did one batch and more remains: the
# company stays pending, the runner commits and calls again
MORE_WORK = "more"
# a company whose policy another transaction holds (another job of the company,
# on another cron worker or server), or whose call collided with another
# transaction (serialization failure, deadlock), is tried again this many
# seconds later
HELD_RETRY_SECONDS = 15


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

    The scheduler calls each job hourly; a scheduled run does the companies
    whose night has come: their local hour is the job's (`JOB_LOCAL_HOURS`)
    or later, and their last scheduled run of the job was on an earlier local
    day (month for the recompute), so that each company is done once a local
    day, in its own night, whatever the zones of the others. A run started by
    hand does every company, and does not count as the night's.
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
    cron_recompute_day = fields.Date(
        string="Last Scheduled Recompute Day",
        readonly=True,
        copy=False,
        help="The company's local day of its last scheduled recompute.",
    )
    cron_visits_day = fields.Date(
        string="Last Scheduled Visit Planning Day",
        readonly=True,
        copy=False,
        help="The company's local day of its last scheduled visit planning.",
    )
    cron_planner_day = fields.Date(
        string="Last Scheduled Activity Planning Day",
        readonly=True,
        copy=False,
        help="The company's local day of its last scheduled activity planning.",
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

    def _run_company_job(self, job_name, today=None):
        """Run one company's job in a savepoint.

        :param today: the company's today (computed when not given)
        :return: True when it succeeded, `MORE_WORK` when it did a batch and
            more remains; a failure is rolled back and logged (False)
        """
        self.ensure_one()
        job = getattr(self.with_company(self.company_id), job_name)
        try:
            with self.env.cr.savepoint():
                if job(today or self._company_today()) == MORE_WORK:
                    return MORE_WORK
        except TransactionRollbackError:
            # a collision with another transaction, not a failure of the job:
            # the runner's call tries the company again (_cron_run_per_company)
            raise
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

    def _mark_job_done(self, job, run, today=None):
        """This company is done in `run` (failed ones too: they were tried);
        a scheduled run records the company's local day it did."""
        vals = {f"cron_{job}_run_id": run.id, f"cron_{job}_date": fields.Datetime.now()}
        if run.scheduled and today:
            vals[f"cron_{job}_day"] = today
        self.write(vals)
        run.company_count += len(self)

    def _due_condition(self, job):
        """SQL condition on the policy `policy` joined to its company `company`:
        the company's night of `job` has come and it was not done yet for its
        local day (month for a monthly job)."""
        local_now = SQL(
            "((%s::timestamp AT TIME ZONE 'UTC') AT TIME ZONE %s)",
            fields.Datetime.now(),
            self.env["res.company"]._logistics_tz_sql("company"),
        )
        day = SQL.identifier("policy", f"cron_{job}_day")
        if job in MONTHLY_JOBS:
            earlier = SQL(
                "date_trunc('month', %s) < date_trunc('month', %s)", day, local_now
            )
        else:
            earlier = SQL("%s < %s::date", day, local_now)
        return SQL(
            "(EXTRACT(HOUR FROM %(now)s) >= %(hour)s "
            "AND (%(day)s IS NULL OR %(earlier)s))",
            now=local_now,
            hour=JOB_LOCAL_HOURS[job],
            day=day,
            earlier=earlier,
        )

    def _nothing_to_do(self, job):
        """One query: no company is due for `job` and no run of it is open."""
        self.env.cr.execute(
            SQL(
                """
                SELECT NOT EXISTS(
                           SELECT 1 FROM logistics_tier_policy policy
                             JOIN res_company company ON company.id = policy.company_id
                            WHERE %(due)s)
                   AND NOT EXISTS(
                           SELECT 1 FROM logistics_job_run
                            WHERE job = %(job)s AND state = 'running'
                              AND requested IS NOT TRUE)
                """,
                due=self._due_condition(job),
                job=job,
            )
        )
        return self.env.cr.fetchone()[0]

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

    def _count_pending(self, pending):
        """How many companies the condition `pending` (on `policy`, `company`)
        leaves to do, those another transaction holds included."""
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*)
                  FROM logistics_tier_policy policy
                  JOIN res_company company ON company.id = policy.company_id
                 WHERE %s
                """,
                pending,
            )
        )
        return self.env.cr.fetchone()[0]

    def _come_back_soon(self, progress_id, remaining):
        """`remaining` companies are left that this call could not do now: the
        run stays open (the progress says work remains, so the next call goes on
        with it) and the runner is triggered a little later, instead of leaving
        them to the next hourly call."""
        notify_progress(self.env, 0, remaining)
        progress = self.env["ir.cron.progress"].sudo().browse(progress_id)
        progress.cron_id._trigger(
            fields.Datetime.now() + timedelta(seconds=HELD_RETRY_SECONDS)
        )

    def _next_free_policy(self, pending):
        """The id of the first policy the condition `pending` leaves to do that
        no other transaction holds, locked for this one (None when there is
        none)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT policy.id
                  FROM logistics_tier_policy policy
                  JOIN res_company company ON company.id = policy.company_id
                 WHERE %s
                 ORDER BY policy.id
                 LIMIT 1
                   FOR UPDATE OF policy SKIP LOCKED
                """,
                pending,
            )
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def _cron_run_per_company(self, job, job_name):
        """Run `job_name(today)` on the next company not done in this run.

        Called by Odoo's runner (progress in the context): one company per call,
        picked with SKIP LOCKED: two jobs of one company never run at once (each
        writes its markers on the policy row). When only companies another
        transaction holds are left (another job of theirs, on another cron worker
        or server, or a user's edit of the policy), or a company's call collides
        with another transaction (a serialization failure: the markers reference
        the runs other jobs update), the run stays open and the job is triggered
        again a little later, so that they are done in this night's run, not an
        hour later. Called directly (code, shell), it runs
        every company in one go, as one run.

        :param job: the run's job key (`logistics.job.run`'s `job`)
        """
        Run = self.env["logistics.job.run"].sudo()
        # the queries below read progress, runs and markers in SQL
        self.env.flush_all()
        progress_id = self.env.context.get("ir_cron_progress_id")
        if not progress_id:
            run = Run._open_run(job, continued=False)
            for policy in self.sudo().search([]):
                while policy._run_company_job(job_name) == MORE_WORK:
                    continue
                policy._mark_job_done(job, run)
            run._close()
            return
        # the scheduler's hourly call: most find no company whose night has come
        scheduled = is_scheduled_call(self.env)
        if scheduled and self._nothing_to_do(job):
            # the call's progress was created with nothing done and nothing
            # remaining: the runner reads that as finished
            return
        run = Run._open_run(
            job,
            continued=self._previous_call_left_work(progress_id),
            scheduled=scheduled,
        )
        pending = SQL(
            "(%(marker)s IS NULL OR %(marker)s != %(run)s)",
            marker=SQL.identifier("policy", f"cron_{job}_run_id"),
            run=run.id,
        )
        if run.scheduled:
            pending = SQL("%s AND %s", pending, self._due_condition(job))
        try:
            with self.env.cr.savepoint(flush=False):
                policy_id = self._next_free_policy(pending)
        except TransactionRollbackError as error:
            # another server's job marked a company after this call's snapshot:
            # locking that row cannot serialize; its next call sees the mark
            _logger.info(
                "Logistics CRM: %s could not lock the next company (%s); "
                "tried again in %s s",
                job,
                error.pgcode,
                HELD_RETRY_SECONDS,
            )
            self._come_back_soon(progress_id, self._count_pending(pending))
            return
        if not policy_id:
            held = self._count_pending(pending)
            if held:
                # another transaction holds these companies' policies: another
                # job of the company (on another cron worker or server) or a
                # user's edit
                self._come_back_soon(progress_id, held)
                return
            run._close()
            notify_progress(self.env, 0, 0)
            return
        policy = self.sudo().browse(policy_id)
        today = policy._company_today()
        try:
            with self.env.cr.savepoint():
                if policy._run_company_job(job_name, today) != MORE_WORK:
                    policy._mark_job_done(job, run, today)
        except TransactionRollbackError as error:
            # another job's or a user's transaction changed what this one read
            # (e.g. another job's run, which the policy's markers reference)
            _logger.info(
                "Logistics CRM: %s of company %s (id %s) collided with another "
                "transaction (%s); tried again in %s s",
                job,
                policy.company_id.name,
                policy.company_id.id,
                error.pgcode,
                HELD_RETRY_SECONDS,
            )
            self._come_back_soon(progress_id, self._count_pending(pending))
            return
        remaining = self._count_pending(pending)
        if not remaining:
            run._close()
        notify_progress(self.env, 1, remaining)
        if remaining and MANUAL_RUN_IS_ONE_CALL and not scheduled:
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
