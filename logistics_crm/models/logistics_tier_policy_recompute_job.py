import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime
from odoo.tools.i18n import format_list

from ..compat import notify_progress

_logger = logging.getLogger(__name__)

# Up to this many customers a company's recompute runs in the button's request;
# above it the scheduled action does it in the background. Measured with
# `make bench BENCH_ARGS="--only-recompute-button --customers N"` on the 2-core
# bench machine under load: a first recompute (the whole monthly job) of 2,000
# customers in 0.84 s in the request; 5,000 took 7.5 s, and 100,000 take
# minutes, past what a request should hold.
RECOMPUTE_AT_ONCE_CUSTOMERS = 2000


class LogisticsTierPolicy(models.Model):
    """Recompute Now on a large company leaves the HTTP request.

    The button records a request (a `logistics.job.run` with `requested` set,
    the policies pointing at it) and triggers the recompute's scheduled action,
    which does the requested companies first, one per committed call of Odoo's
    runner, as the requester, with the button's source (history says "Manual
    Recompute" or "Grade Scale Changed", not "Scheduled Recompute"). A request
    is not a scheduled run: the night's markers are left alone. The requester
    gets the summary the button shows today as a notification when it ends.
    """

    _inherit = "logistics.tier.policy"

    recompute_job_id = fields.Many2one(
        "logistics.job.run",
        string="Background Recompute",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The background recompute requested for this company and not "
        "finished yet.",
    )
    recompute_job_status = fields.Char(
        string="Background Recompute Status",
        compute="_compute_recompute_job_status",
        compute_sudo=True,
    )

    @api.depends(
        "recompute_job_id.state",
        "recompute_job_id.date_start",
        "recompute_job_id.done_count",
        "recompute_job_id.total_count",
    )
    @api.depends_context("uid", "tz", "lang")
    def _compute_recompute_job_status(self):
        for policy in self:
            run = policy.recompute_job_id
            if not run:
                policy.recompute_job_status = False
                continue
            since = format_datetime(self.env, run.date_start, dt_format="short")
            if run.state == "queued":
                policy.recompute_job_status = self.env._(
                    "Recompute waiting in the background since %(since)s.",
                    since=since,
                )
            else:
                policy.recompute_job_status = self.env._(
                    "Recompute running in the background since %(since)s: "
                    "%(done)s of %(total)s companies done.",
                    since=since,
                    done=run.done_count,
                    total=run.total_count,
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_recompute_job_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_recompute_job_write(vals)
        return super().write(vals)

    def _check_recompute_job_write(self, vals):
        """Only the request and the job set the background recompute: a direct
        write (JSON-RPC, import) would block Recompute Now or hide a run."""
        if (
            "recompute_job_id" in vals
            and not self.env.su
            and not self.env.context.get("logistics_recompute_job")
        ):
            raise ValidationError(
                self.env._(
                    "The background recompute of a tier policy is set by Logistics "
                    "CRM itself (Recompute Now) and cannot be written directly."
                )
            )

    # ------------------------------------------------------------------
    # The request
    # ------------------------------------------------------------------
    def _recompute_size(self):
        """About how many customers a recompute of the company ranks, in two
        counts (no ranking): its customer accounts, or its customers before its
        first recompute."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT GREATEST(
                    (SELECT COUNT(*) FROM logistics_customer_tier
                      WHERE company_id = %(company)s),
                    (SELECT COUNT(*) FROM res_partner
                      WHERE active AND customer_rank > 0 AND parent_id IS NULL
                        AND (company_id = %(company)s OR company_id IS NULL)))
                """,
                company=self.company_id.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _recompute_in_background(self):
        """Whether recomputing self is too long for a request (see
        `RECOMPUTE_AT_ONCE_CUSTOMERS`)."""
        return any(
            policy._recompute_size() > RECOMPUTE_AT_ONCE_CUSTOMERS for policy in self
        )

    def _check_no_recompute_job(self):
        """A company whose recompute is requested is not requested again."""
        for policy in self.sudo():
            if policy.recompute_job_id:
                raise UserError(
                    self.env._(
                        "Customer tiers of %(company)s are already being recomputed "
                        "in the background: %(status)s You get a notification when "
                        "it ends.",
                        company=policy.company_id.name,
                        status=policy.recompute_job_status,
                    )
                )

    def _request_recompute(self, source="manual"):
        """Record a background recompute of self and wake the scheduled action.

        Two requests at once both write the policies: PostgreSQL lets one
        commit, Odoo retries the other, which then finds the request and is
        refused.
        :return: the button's notification
        """
        self._check_no_recompute_job()
        run, notification = self.env["logistics.job.run"]._start_request(
            "recompute",
            self.company_id,
            len(self),
            {"recompute_source": source},
            "logistics_crm.ir_cron_recompute_tiers",
            (
                self.env._("Recompute started in the background"),
                self.env._(
                    "The customer tiers of %(companies)s are recomputed in the "
                    "background. You get a notification when it ends.",
                    companies=format_list(
                        self.env, self.sudo().company_id.mapped("name")
                    ),
                ),
                {"type": "ir.actions.client", "tag": "soft_reload"},
            ),
        )
        self.sudo().with_context(logistics_recompute_job=True).write(
            {"recompute_job_id": run.id}
        )
        return notification

    # ------------------------------------------------------------------
    # The scheduled action's part
    # ------------------------------------------------------------------
    @api.model
    def _run_recompute_requests(self):
        """Do the requested recomputes before the scheduled work.

        Called by Odoo's runner (`cron_id` in the context): one requested
        company per call, reporting the call as work done with work remaining,
        so that the runner commits and calls again (the last call then does the
        scheduled work, if any). Called directly (code, shell): every request
        in one go. "Run Manually" leaves the requests to the runner.

        :return: True when the caller has nothing else to do in this call
        """
        runner = bool(self.env.context.get("cron_id"))
        if self.env.context.get("ir_cron_progress_id") and not runner:
            if self._pending_recompute_requests():
                self.env.ref("logistics_crm.ir_cron_recompute_tiers").sudo()._trigger()
            return False
        while True:
            outcome = self._run_next_recompute_request(runner=runner)
            if outcome is None:
                return False
            if runner:
                if outcome == "busy":
                    # a recompute at once holds the company: try again in a minute
                    self.env.ref(
                        "logistics_crm.ir_cron_recompute_tiers"
                    ).sudo()._trigger(fields.Datetime.now() + timedelta(minutes=1))
                    return True
                notify_progress(self.env, 1, self._pending_recompute_requests() + 1)
                return True
            if outcome == "busy":
                return False

    def _pending_recompute_requests(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT COUNT(*) FROM logistics_tier_policy "
            "WHERE recompute_job_id IS NOT NULL"
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _run_next_recompute_request(self, runner=False):
        """Recompute the next requested company, in a savepoint.

        :param runner: called by Odoo's runner, which commits between calls
        :return: None when no request is pending, "started" when the runner's
            call marked it running, "busy" when another recompute holds the
            company, else "done" or "failed"
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM logistics_tier_policy
             WHERE recompute_job_id IS NOT NULL
             ORDER BY recompute_job_id, id
             LIMIT 1
               FOR UPDATE SKIP LOCKED
            """
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        policy = self.sudo().browse(row[0])
        run = policy.recompute_job_id
        if run.state == "queued":
            run.write({"state": "running", "date_start": fields.Datetime.now()})
            if runner:
                # a call of its own: the runner commits it, so the policy and
                # the overview show the request running during the long call
                return "started"
        if not policy._try_lock_for_recompute():
            return "busy"
        requester = run.requested_by_id.sudo() or self.env.user
        worker = policy.with_user(requester).with_context(
            lang=requester.lang or "en_US"
        )
        worker = worker.with_company(policy.company_id)
        failed = False
        try:
            with self.env.cr.savepoint():
                summary = worker._recompute_tiers(
                    source=run.recompute_source or "manual",
                    today=policy._company_today(),
                )
        except Exception as error:
            _logger.exception(
                "Logistics CRM: the requested tier recompute of %s (id %s) failed",
                policy.company_id.name,
                policy.company_id.id,
            )
            failed = True
            reason = (
                error.args[0]
                if isinstance(error, UserError | ValidationError)
                else worker.env._("see the server log")
            )
            summary = worker.env._(
                "%(company)s: the recompute failed (%(reason)s); nothing was changed.",
                company=policy.company_id.name,
                reason=reason,
            )
            policy._logistics_log_note(
                Markup("<p>%s</p>") % summary, author_id=requester.partner_id.id
            )
        policy.with_context(logistics_recompute_job=True).write(
            {"recompute_job_id": False}
        )
        run.write(
            {
                "done_count": run.done_count + 1,
                "failed_count": run.failed_count + failed,
                "summary": "\n".join(filter(None, [run.summary, summary])),
            }
        )
        self.env.flush_all()
        if not self.sudo().search_count([("recompute_job_id", "=", run.id)]):
            run._end_request()
        return "failed" if failed else "done"
