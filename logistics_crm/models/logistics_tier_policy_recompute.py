import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.i18n import format_list

from ..logic import abc_ranking

_logger = logging.getLogger(__name__)

# first key of the advisory lock taken by a recompute (second key: the policy id)
RECOMPUTE_LOCK_NAMESPACE = 0x4C43524D  # "LCRM"


class LogisticsTierPolicy(models.Model):
    """The recompute: lock, ranking and its follow-ups, run by hand or by the cron."""

    _inherit = "logistics.tier.policy"

    def action_recompute(self):
        # the recompute writes through SQL: check the manager's right explicitly
        self.check_access("write")
        self._check_no_recompute_job()
        if self._recompute_in_background():
            return self._request_recompute("manual")
        summaries = []
        for policy in self:
            summaries.append(policy._recompute_tiers(source="manual"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Customer tiers recomputed"),
                "message": "\n".join(summaries),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_recompute_tiers(self):
        # the recomputes managers asked for come first (Recompute Now above
        # RECOMPUTE_AT_ONCE_CUSTOMERS): one company per call of the runner
        if self._run_recompute_requests():
            return
        self._cron_run_per_company("recompute", "_cron_recompute_company")

    def _cron_recompute_company(self, today):
        if not self._try_lock_for_recompute():
            # a manager's recompute of this company runs right now: it does the work
            _logger.info(
                "Tier recompute of %s skipped: another run holds its lock.",
                self.company_id.name,
            )
            return
        self._recompute_tiers(source="cron", today=today)

    def _try_lock_for_recompute(self):
        """Two recomputes of one company never both write.

        A transaction-level advisory lock per policy: taken at once or refused at
        once (no waiting for a long run only to redo the same work), and released
        by PostgreSQL when the transaction ends, however it ends.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                RECOMPUTE_LOCK_NAMESPACE,
                self.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _lock_for_recompute(self):
        if not self._try_lock_for_recompute():
            raise UserError(
                _(
                    "Customer tiers of %(company)s are being recomputed right now. "
                    "Try again when that run is finished.",
                    company=self.sudo().company_id.name,
                )
            )

    def _recompute_tiers(self, source="manual", today=None):
        """Rank the company's customers and write tiers, history and alerts.

        Runs in the caller's transaction: either everything is written or nothing.
        :return: a one-line, translated summary
        """
        self.ensure_one()
        self._lock_for_recompute()
        today = today or fields.Date.context_today(self)
        scope, results, changes = self._rank_and_store_tiers(source, today)
        if scope:
            self._update_lifecycle(scope, today)
            # a new grade scale moves customers without any of them changing:
            # no tier-move activities (trends are still refreshed)
            self._create_alerts(scope, {} if source == "scale" else changes, today)
            self._auto_assign_key_accounts(plan_visits=False)
            self.env["logistics.visit"]._schedule_visits(policy=self, today=today)
        # the summary is read by whoever opens the policy: in every language
        languages = [code for code, _name in self.env["res.lang"].get_installed()]
        summaries = {
            lang: self.with_context(lang=lang)._recompute_summary(results, changes)
            for lang in languages
        }
        policy = self.sudo().with_context(lang="en_US")
        policy.write(
            {
                "last_recompute_date": fields.Datetime.now(),
                "last_recompute_summary": summaries.get("en_US")
                or self.with_context(lang="en_US")._recompute_summary(results, changes),
            }
        )
        policy.update_field_translations(
            "last_recompute_summary",
            {lang: text for lang, text in summaries.items() if lang != "en_US"},
        )
        return summaries.get(self.env.lang) or self._recompute_summary(results, changes)

    def _recompute_summary(self, results, changes):
        """One line in the language of self's context."""
        if not results:
            return self.env._(
                "%(company)s: no customers in scope, nothing changed.",
                company=self.company_id.name,
            )
        grades = self._grade_list()
        counts = dict.fromkeys((code for code, _name in grades), 0)
        for result in results.values():
            counts[result.tier] = counts.get(result.tier, 0) + 1
        # "A: 5, B: 15 and C: 80" ("A：5、B：15和C：80"), formatted before the call
        per_grade = format_list(
            self.env,
            [
                self.env._("%(grade)s: %(count)s", grade=code, count=count)
                for code, count in counts.items()
            ],
        )
        return self.env._(
            "%(company)s: %(count)s customers ranked (%(grades)s), %(changed)s tier "
            "changes.",
            company=self.company_id.name,
            count=len(results),
            grades=per_grade,
            changed=len(changes),
        )

    def _rank_and_store_tiers(self, source, today):
        """The tier step of a recompute: values, ranking, tier rows and history.

        :return: (scope partner ids, {partner id: TierResult}, tier changes)
        """
        self.ensure_one()
        self.env.flush_all()
        invoiced = self._invoice_values(*self._period_bounds(today))
        scope = self._get_scope_partner_ids(invoiced)
        if not scope:
            return scope, {}, {}
        if self.metric == "invoice_revenue":
            values = {pid: invoiced.get(pid, 0.0) for pid in scope}
        else:
            values = self._compute_values(scope, today)
        results = abc_ranking.assign_tiers(values, self._ranking_grades(), self.method)
        changes = self.env["logistics.customer.tier"]._apply_computed_tiers(
            self, values, results, source
        )
        return scope, results, changes
