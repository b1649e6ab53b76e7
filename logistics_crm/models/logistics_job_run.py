from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

JOBS = [
    ("recompute", "Tier Recompute"),
    ("visits", "Visit Planning"),
    ("planner", "Activity Planning"),
    ("reclaim", "Customer Pool Reclaim"),
]


class LogisticsJobRun(models.Model):
    """One run of a per-company scheduled job, over every company.

    A run is identified by this record, never by timestamps: a company is done
    in the run when its policy's marker points at the run. Runs span companies,
    so they carry no company; only managers read them, and only the jobs write.
    """

    _name = "logistics.job.run"
    _description = "Scheduled Job Run"
    _order = "id desc"

    job = fields.Selection(JOBS, required=True, readonly=True, index=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Finished")],
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
                 WHERE job = %s AND state = 'running'
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

    @api.autovacuum
    def _gc_finished_runs(self):
        """Finished runs are kept a year: enough to see how the jobs ran."""
        limit = fields.Datetime.now() - relativedelta(years=1)
        self.search([("state", "=", "done"), ("date_end", "<", limit)]).unlink()
