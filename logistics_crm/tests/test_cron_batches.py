from datetime import datetime

from freezegun import freeze_time

from odoo import sql_db
from odoo.tests import tagged

from odoo.addons.logistics_crm.compat import (
    MANUAL_RUN_IS_ONE_CALL,
    manual_cron_run,
    registry_test_mode,
)

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15 05:00:00")
class TestCronBatches(LogisticsTierCase):
    """Each scheduled job does one company per call, as Odoo's runner expects.

    Every company is in UTC: at 05:00 the night of each job has come for all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()["company"]
        cls.env.user.company_ids |= cls.company_2
        cls.policy_2 = cls.env["logistics.tier.policy"]._get_company_policy(
            cls.company_2
        )
        cls.shared = cls._customers(4, prefix="Shared")
        for i, customer in enumerate(cls.shared):
            cls._invoice(customer, 1000.0 * (i + 1), "2026-09-01")
            cls._invoice(
                customer, 1000.0 * (4 - i), "2026-09-01", company=cls.company_2
            )
        cls.Policy = cls.env["logistics.tier.policy"]
        cls.Policy.sudo().search([]).company_id.partner_id.tz = "UTC"
        cls.cron = cls.env.ref("logistics_crm.ir_cron_recompute_tiers")
        cls.lastcall = datetime(2026, 10, 15, 2, 0)

    def _cron_call(
        self,
        model="logistics.tier.policy",
        method="_cron_recompute_tiers",
        scheduled=True,
    ):
        """One call of the runner, in a cursor of its own (19.0's progress
        commits): a progress record in the context, as ir.cron._run_job passes
        it (18.0's Run Manually passes no cron_id, 19.0's marks the cron run by
        hand)."""
        self.env.flush_all()
        with registry_test_mode(self), self.registry.cursor() as cron_cr:
            env = self.env(cr=cron_cr)
            progress = env["ir.cron.progress"].create(
                {"cron_id": self.cron.id, "remaining": 0, "done": 0}
            )
            context = {"ir_cron_progress_id": progress.id, "lastcall": self.lastcall}
            if scheduled or not MANUAL_RUN_IS_ONE_CALL:
                context["cron_id"] = self.cron.id
            call = getattr(env[model].with_context(**context), method)
            if scheduled:
                call()
            else:
                with manual_cron_run(self.cron):
                    call()
        self.env.invalidate_all()
        return self.env["ir.cron.progress"].browse(progress.id)

    def _run_to_completion(self, **call):
        """The runner's loop: call while work remains. :return: [(done, remaining)]"""
        calls = []
        for _i in range(20):
            progress = self._cron_call(**call)
            calls.append((progress.done, progress.remaining))
            if not progress.remaining:
                break
        return calls

    def _tiers(self, company):
        return self.env["logistics.customer.tier"].search(
            [("company_id", "=", company.id)]
        )

    def test_one_company_per_call_until_done(self):
        companies = self.Policy.sudo().search_count([])
        calls = self._run_to_completion()
        # one company per call, the remaining count going down to zero
        self.assertEqual(calls, [(1, companies - n) for n in range(1, companies + 1)])
        self.assertEqual(len(self._tiers(self.company)), 4)
        self.assertEqual(len(self._tiers(self.company_2)), 4)
        # the scheduler's next call finds every company done for its month
        progress = self._cron_call()
        self.assertEqual((progress.done, progress.remaining), (0, 0))
        # Run Manually starts over with every company, whatever the clock
        progress = self._cron_call(scheduled=False)
        self.assertEqual((progress.done, progress.remaining), (1, companies - 1))

    def test_a_failing_company_is_rolled_back_alone_and_named(self):
        policy_class = type(self.Policy)
        original = policy_class._recompute_tiers
        company_name = self.company.name

        def failing_recompute(policy, *args, **kwargs):
            if policy.company_id == self.company:
                policy.sudo().last_recompute_summary = "half-written"
                policy.env.flush_all()
                raise ValueError("statement data is broken")
            return original(policy, *args, **kwargs)

        self.patch(policy_class, "_recompute_tiers", failing_recompute)
        logger = "odoo.addons.logistics_crm.models.logistics_tier_policy_cron"
        with self.assertLogs(logger, level="ERROR") as logs:
            calls = self._run_to_completion()
        self.assertEqual(calls[-1][1], 0)
        self.assertEqual(len(logs.output), 1)
        self.assertIn(company_name, logs.output[0])
        self.assertIn("statement data is broken", logs.output[0])
        # nothing of the failed company's half-done work remains
        self.policy.invalidate_recordset()
        self.assertNotEqual(self.policy.last_recompute_summary, "half-written")
        self.assertFalse(self._tiers(self.company))
        # the other company went on
        self.assertEqual(len(self._tiers(self.company_2)), 4)

    def test_a_direct_call_does_every_company(self):
        self.Policy._cron_recompute_tiers()
        self.assertEqual(len(self._tiers(self.company)), 4)
        self.assertEqual(len(self._tiers(self.company_2)), 4)

    def test_servers_running_at_once_take_different_companies(self):
        """A second server's runner holds one company: this one does the others,
        keeps the run open for it and comes back soon, then does it in the same
        run."""
        held = self.env.ref("logistics_crm.tier_policy_main_company").sudo()
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        triggers = self.env["ir.cron.trigger"].sudo()
        try:
            other.execute(
                "SELECT id FROM logistics_tier_policy WHERE id = %s FOR UPDATE",
                [held.id],
            )
            before = triggers.search([("cron_id", "=", self.cron.id)])
            calls = []
            for _i in range(5):
                progress = self._cron_call()
                calls.append((progress.done, progress.remaining))
                if not progress.done:
                    break
            # the held company is left, not given up: work remains for it
            self.assertEqual(calls[-1], (0, 1))
            self.assertTrue(all(done == 1 for done, _remaining in calls[:-1]))
            retry = triggers.search([("cron_id", "=", self.cron.id)]) - before
            self.assertEqual(
                retry.mapped("call_at"), [datetime(2026, 11, 15, 5, 0, 15)]
            )
            held.invalidate_recordset()
            self.assertFalse(held.cron_recompute_date)
            self.assertTrue(self.policy.cron_recompute_date)
            self.assertEqual(len(self._tiers(self.company_2)), 4)
        finally:
            other.rollback()
            other.close()
        # the other server let it go: the next call does it, in the same run
        progress = self._cron_call()
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        held.invalidate_recordset()
        self.assertTrue(held.cron_recompute_date)
        self.assertEqual(held.cron_recompute_run_id, self.policy.cron_recompute_run_id)

    def test_visit_and_planner_jobs_go_company_by_company(self):
        companies = self.Policy.sudo().search_count([])
        for field, model, method in (
            ("cron_visits_date", "logistics.visit", "_cron_schedule_visits"),
            ("cron_planner_date", "res.partner", "_cron_proactive_activities"),
        ):
            calls = self._run_to_completion(model=model, method=method)
            self.assertEqual(len(calls), companies, field)
            self.assertTrue(all(done == 1 for done, _remaining in calls), field)
            self.assertTrue(self.policy[field] and self.policy_2[field], field)
