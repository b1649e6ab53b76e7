from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..compat import MANUAL_RUN_IS_ONE_CALL, is_scheduled_call, notify_progress

JOBS = [
    ("recompute", "Tier Recompute"),
    ("visits", "Visit Planning"),
    ("planner", "Activity Planning"),
    ("reclaim", "Customer Pool Reclaim"),
    ("handover", "Account Handover"),
    ("survey", "Relationship Survey"),
    ("assign", "Key-Account Assignment"),
]


class LogisticsJobRun(models.Model):
    """One run of a per-company scheduled job, over every company.

    A run is identified by this record, never by timestamps: a company is done
    in the run when its policy's marker points at the run. Runs span companies,
    so they carry no company; only managers read them, and only the jobs write.

    A run can also be a request: a button (Recompute Now on a large company)
    records what to do here and triggers the job's scheduled action, which does
    it in the background, one company per committed call, and tells the
    requester when it ends. A request carries its company (or none when it
    spans several), who asked, how far it is and its summary.
    """

    _name = "logistics.job.run"
    _description = "Scheduled Job Run"
    _order = "id desc"

    job = fields.Selection(JOBS, required=True, readonly=True, index=True)
    state = fields.Selection(
        [
            ("queued", "Waiting"),
            ("running", "Running"),
            ("done", "Finished"),
            ("failed", "Failed"),
        ],
        string="Run State",
        default="running",
        required=True,
        readonly=True,
    )
    date_start = fields.Datetime(
        string="Started", readonly=True, default=fields.Datetime.now
    )
    date_end = fields.Datetime(string="Finished On", readonly=True)
    company_count = fields.Integer(string="Companies Done", readonly=True)
    scheduled = fields.Boolean(
        readonly=True,
        help="Started by the scheduler: it does the companies whose night has "
        "come. A run started by hand does every company.",
    )
    # a request from a button, done by the scheduled action in the background;
    # the scheduler's own runs (`_open_run`) never pick one up
    requested = fields.Boolean(string="Background Request", readonly=True)
    requested_by_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        index=True,
        help="The company of a request; empty for the scheduler's runs, which "
        "span every company.",
    )
    done_count = fields.Integer(string="Done", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    total_count = fields.Integer(string="To Do", readonly=True)
    recompute_source = fields.Selection(
        [("manual", "Recompute Now"), ("scale", "New Grade Scale")],
        string="Requested By Button",
        readonly=True,
    )
    summary = fields.Text(
        string="Result",
        readonly=True,
        help="What the request did, in the requester's language.",
    )

    @api.model
    def _open_run(self, job, continued, scheduled=False):
        """The run this call belongs to, locked until the call's transaction ends.

        :param continued: the job's previous call reported work remaining, so
            this call goes on with the run still open; otherwise a new run starts
            (an open run left behind is closed first: what it missed is the new
            run's work).
        :param scheduled: a new run is the scheduler's, for the companies whose
            night has come; a continued run keeps its own kind
        """
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM logistics_job_run
                 WHERE job = %s AND state = 'running' AND requested IS NOT TRUE
                 ORDER BY id DESC
                   FOR UPDATE
                """,
                job,
            )
        )
        open_runs = self.browse([row[0] for row in self.env.cr.fetchall()])
        if continued and open_runs:
            (open_runs - open_runs[0])._close()
            return open_runs[0]
        open_runs._close()
        return self.create({"job": job, "scheduled": scheduled})

    def _close(self):
        if self:
            self.write({"state": "done", "date_end": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Requests from buttons (but the recompute's: its own scheduled action)
    # ------------------------------------------------------------------
    @api.model
    def _start_request(self, job, companies, total, values, cron_xmlid, message):
        """Record a button's request, wake the scheduled action that does it,
        and return the button's notification saying it started.

        :param companies: the companies it works on (none recorded for several)
        :param values: the job's own fields of the request
        :param message: (title, text, next action) of the notification
        :return: the new request and the notification
        """
        run = self.sudo().create(
            {
                "job": job,
                "state": "queued",
                "requested": True,
                "requested_by_id": self.env.uid,
                "company_id": companies.id if len(companies) == 1 else False,
                "total_count": total,
                **values,
            }
        )
        self.env.ref(cron_xmlid).sudo()._trigger()
        title, text, next_action = message
        return run, {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": title,
                "message": text,
                "sticky": False,
                "next": next_action,
            },
        }

    @api.model
    def _cron_run_requests(self):
        """Do the next batch of the oldest open request.

        Called by Odoo's runner: one batch per call, work remaining reported
        with `notify_progress` (the runner commits and calls again); the call
        that starts a request only marks it running, so that it shows running
        while its batches run. Called directly (code, shell): every request in
        one go. Each job does a batch in `_request_batch_<job>`, which returns
        (done, remaining) and ends the request when nothing remains.
        """
        runner = bool(self.env.context.get("ir_cron_progress_id"))
        while True:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM logistics_job_run
                     WHERE requested AND job != 'recompute'
                       AND state IN ('queued', 'running')
                     ORDER BY id
                     LIMIT 1
                       FOR UPDATE SKIP LOCKED
                    """
                )
            )
            row = self.env.cr.fetchone()
            if not row:
                return
            run = self.sudo().browse(row[0])
            if run.state == "queued":
                run.write({"state": "running", "date_start": fields.Datetime.now()})
                if runner:
                    return self._request_progress(1, run.total_count)
            done, remaining = getattr(run, f"_request_batch_{run.job}")()
            if runner:
                return self._request_progress(done, remaining + self._open_requests())

    def _request_progress(self, done, remaining):
        notify_progress(self.env, done, remaining)
        if remaining and MANUAL_RUN_IS_ONE_CALL and not is_scheduled_call(self.env):
            # "Run Manually" makes one call: let the runner do the rest
            self.env.ref("logistics_crm.ir_cron_job_requests").sudo()._trigger()

    def _open_requests(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT COUNT(*) FROM logistics_job_run WHERE requested "
            "AND job != 'recompute' AND state IN ('queued', 'running')"
        )
        return self.env.cr.fetchone()[0]

    def _end_request(self):
        """A request is over: its state, and a notification to whoever asked,
        in their language, with what it did (the summary the button showed when
        it ran in the request)."""
        for run in self:
            failed = bool(run.failed_count)
            run.write(
                {
                    "state": "failed" if failed else "done",
                    "date_end": fields.Datetime.now(),
                }
            )
            user = run.requested_by_id
            if not user:
                continue
            env = run.with_context(lang=user.lang or "en_US").env
            if failed:
                title = env._("Background job failed")
            else:
                title = run.with_env(env)._request_done_title()
            user.sudo()._bus_send(
                "simple_notification",
                {
                    "title": title,
                    "message": run.summary or "",
                    "type": "danger" if failed else "success",
                    "sticky": failed,
                },
            )

    def _request_done_title(self):
        """The title of the notification of a request that ended well."""
        if self.job == "recompute":
            return self.env._("Customer tiers recomputed")
        if self.job == "handover":
            return self.env._("Accounts handed over")
        if self.job == "survey":
            return self.env._("Relationship surveys sent")
        if self.job == "assign":
            return self.env._("Key-account managers assigned")
        return self.env._("Background job finished")

    @api.autovacuum
    def _gc_finished_runs(self):
        """Finished runs are kept a year: enough to see how the jobs ran."""
        limit = fields.Datetime.now() - relativedelta(years=1)
        self.search(
            [("state", "in", ("done", "failed")), ("date_end", "<", limit)]
        ).unlink()
