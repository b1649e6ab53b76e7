from collections import Counter
from datetime import datetime, timedelta
from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.logistics_crm.compat import (
    ODOO_19,
    process_cron_job,
    registry_test_mode,
)

from .common import LogisticsTierCase

# cron xml id -> the per-company method each run calls once per company
JOBS = {
    "logistics_crm.ir_cron_recompute_tiers": "_cron_recompute_company",
    "logistics_crm.ir_cron_schedule_visits": "_cron_schedule_company_visits",
    "logistics_crm.ir_cron_proactive_activities": "_cron_plan_company_activities",
}
NIGHT = datetime(2026, 11, 16, 0, 30)  # before the planned visits of the day
# every job's night has come in UTC (the recompute's 02:00, visits' 03:00,
# activities' 04:00)
UTC_NIGHT = datetime(2026, 11, 16, 4, 30)


def run_cron(case, xmlid):
    """One invocation of Odoo's runner on the job (its own cursor, commits)."""
    cron = case.env.ref(xmlid)
    case.env.flush_all()
    with registry_test_mode(case), case.registry.cursor() as cron_cr:
        process_cron_job(
            case.registry["ir.cron"],
            case.registry.db_name,
            cron_cr,
            {
                **cron.read(load=None)[0],
                "done": 0,
                "remaining": 0,
                "timed_out_counter": 0,
            },
        )
    case.env.invalidate_all()


def run_manually(case, xmlid):
    """The job's Run Manually button. 18.0 runs it in the user's transaction;
    19.0 in its own cursor, as the runner does."""
    case.env.flush_all()
    with registry_test_mode(case):
        case.env.ref(xmlid).method_direct_trigger()
    case.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestCronRuns(LogisticsTierCase):
    """Each run of a per-company job does every company exactly once, however
    close the runs are: started by hand (method_direct_trigger) or by Odoo's
    runner (_process_job, one company per call with _notify_progress)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Policy = cls.env["logistics.tier.policy"].sudo()
        cls.kam = cls._logistics_user("lcrm_runs_kam")
        cls.customer = cls._customers(1, prefix="Key")[0]
        cls.env["logistics.customer.tier"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "computed_tier": "A",
                "key_account_manager_id": cls.kam.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.calls = []
        policy_class = type(self.Policy)
        for method in JOBS.values():
            self.patch(policy_class, method, self._counting(policy_class, method))

    def _counting(self, policy_class, method):
        original = getattr(policy_class, method)
        calls = self.calls

        def counted(policy, today):
            calls.append((method, policy.company_id.id))
            return original(policy, today)

        return counted

    def _only_companies(self, count):
        """Keep `count` companies with a policy, all in UTC: this test's company
        first."""
        others = [
            self.env["res.company"].create({"name": f"Runs Company {i}"})
            for i in range(count - 1)
        ]
        keep = self.company.ids + [c.id for c in others]
        self.Policy.search([("company_id", "not in", keep)]).unlink()
        self.assertEqual(self.Policy.search_count([]), count)
        self.env["res.company"].browse(keep).partner_id.tz = "UTC"
        return keep

    def _recording_triggers(self):
        """The (cron id, at) of each trigger set from now on, recorded as it is set:
        the runner deletes triggers older than the database's (real) now."""
        cron_class = type(self.env["ir.cron"])
        trigger = cron_class._trigger
        triggered = []

        def recorded_trigger(crons, at=None):
            triggered.extend((cron.id, at) for cron in crons)
            return trigger(crons, at)

        self.patch(cron_class, "_trigger", recorded_trigger)
        return triggered

    def _runner(self, xmlid):
        run_cron(self, xmlid)

    def _runs_of(self, method):
        return Counter(company for name, company in self.calls if name == method)

    def test_manual_runs_within_one_second_each_do_the_company(self):
        self._only_companies(1)
        with freeze_time(NIGHT):
            for xmlid, method in JOBS.items():
                for _run in range(3):
                    run_manually(self, xmlid)
                self.assertEqual(self._runs_of(method), {self.company.id: 3}, xmlid)

    def test_a_second_run_in_the_same_second_drops_an_archived_customers_visit(self):
        self._only_companies(1)
        xmlid = "logistics_crm.ir_cron_schedule_visits"
        planned = [("partner_id", "=", self.customer.id), ("state", "=", "planned")]
        with freeze_time(NIGHT):
            run_manually(self, xmlid)
            self.assertTrue(self.env["logistics.visit"].search(planned))
            self.customer.active = False
            run_manually(self, xmlid)
            self.assertFalse(self.env["logistics.visit"].search(planned))

    def test_runner_runs_in_a_row_and_across_days_with_three_companies(self):
        companies = self._only_companies(3)
        nights = [
            UTC_NIGHT,
            UTC_NIGHT,
            UTC_NIGHT + timedelta(days=1),
            UTC_NIGHT + timedelta(days=2),
        ]
        for xmlid, method in JOBS.items():
            for night in nights:
                with freeze_time(night):
                    self._runner(xmlid)
            # once a local day (the recompute once a month): a second call in
            # the same night finds every company done
            expected = 1 if xmlid.endswith("recompute_tiers") else 3
            self.assertEqual(
                self._runs_of(method), dict.fromkeys(companies, expected), xmlid
            )
        runs = self.env["logistics.job.run"].search([])
        # one run record per job and night that had work, each finished with
        # every company; a call that found nothing opened none
        self.assertEqual(len(runs), 1 + 3 + 3)
        self.assertEqual(set(runs.mapped("state")), {"done"})
        self.assertEqual(set(runs.mapped("company_count")), {3})
        self.assertTrue(all(runs.mapped("scheduled")))

    def test_a_manual_start_is_finished_by_the_runner_once(self):
        companies = self._only_companies(3)
        xmlid = "logistics_crm.ir_cron_schedule_visits"
        cron = self.env.ref(xmlid)
        with freeze_time(NIGHT):
            run_manually(self, xmlid)
            if not ODOO_19:
                # 19.0's Run Manually is the runner's loop: it does every company
                self.assertEqual(len(self.calls), 1, "Run Manually: one company")
                self.assertTrue(
                    self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
                )
                self._runner(xmlid)
            self.assertEqual(self._runs_of(JOBS[xmlid]), dict.fromkeys(companies, 1))
            # the next runner call is the scheduler's: no company's night has
            # come at 00:30 (UTC), and the run by hand did not count as one
            self._runner(xmlid)
            self.assertEqual(self._runs_of(JOBS[xmlid]), dict.fromkeys(companies, 1))
        with freeze_time(UTC_NIGHT):
            self._runner(xmlid)
            self.assertEqual(self._runs_of(JOBS[xmlid]), dict.fromkeys(companies, 2))

    def test_a_company_another_job_holds_is_done_in_the_same_run(self):
        """Two servers: while another job of a company holds its policy row (its
        own transaction; SKIP LOCKED passes it by), this job does the other
        companies, keeps its run open and comes back soon for the held one,
        instead of closing the night's run without it (to do it an hour later,
        in another run). tests/integration/test_two_servers.py shows it with
        real locks."""
        companies = self._only_companies(3)
        xmlid = "logistics_crm.ir_cron_schedule_visits"
        method = JOBS[xmlid]
        cron = self.env.ref(xmlid)
        held = self.Policy.search([("company_id", "=", self.company.id)])
        policy_class = type(self.Policy)
        free_policy = policy_class._next_free_policy

        def held_by_another_transaction(policy, pending):
            return free_policy(policy, SQL("%s AND policy.id != %s", pending, held.id))

        triggered = self._recording_triggers()
        with (
            freeze_time(UTC_NIGHT),
            patch.object(
                policy_class, "_next_free_policy", held_by_another_transaction
            ),
        ):
            self._runner(xmlid)
        self.assertEqual(self._runs_of(method), dict.fromkeys(companies[1:], 1))
        run = self.env["logistics.job.run"].search([("job", "=", "visits")])
        self.assertEqual((run.state, run.company_count), ("running", 2))
        # the runner comes back for the held company within a minute
        self.assertEqual(len(triggered), 1)
        self.assertEqual(triggered[0][0], cron.id)
        self.assertLessEqual(triggered[0][1], UTC_NIGHT + timedelta(minutes=1))
        # the other job committed: the trigger's call does it, in the same run
        with freeze_time(UTC_NIGHT + timedelta(seconds=20)):
            self._runner(xmlid)
        self.assertEqual(self._runs_of(method), dict.fromkeys(companies, 1))
        runs = self.env["logistics.job.run"].search([("job", "=", "visits")])
        self.assertEqual(runs, run)
        self.assertEqual((run.state, run.company_count), ("done", 3))

    def test_a_company_marked_after_the_calls_snapshot_is_tried_again_soon(self):
        """Two servers: locking the next company fails to serialize when another
        server's job marked it after this call began (seen on Odoo 19.0, whose
        runner commits each call's progress at once). The call ends with the
        run open and a retry soon; the retry does the companies."""
        companies = self._only_companies(3)
        xmlid = "logistics_crm.ir_cron_recompute_tiers"
        method = JOBS[xmlid]
        policy_class = type(self.Policy)
        next_free = policy_class._next_free_policy
        collided = []

        def colliding(policy, pending):
            if not collided:
                collided.append(True)
                raise psycopg2.errors.SerializationFailure(
                    "could not serialize access due to concurrent update"
                )
            return next_free(policy, pending)

        triggered = self._recording_triggers()
        with (
            freeze_time(UTC_NIGHT),
            patch.object(policy_class, "_next_free_policy", colliding),
            self.assertNoLogs("odoo.addons.logistics_crm", "ERROR"),
        ):
            self._runner(xmlid)
            self.assertTrue(collided)
            run = self.env["logistics.job.run"].search([("job", "=", "recompute")])
            self.assertEqual(run.state, "running")
            self.assertIn(
                self.env.ref(xmlid).id, [cron_id for cron_id, _at in triggered]
            )
        with freeze_time(UTC_NIGHT + timedelta(seconds=20)):
            self._runner(xmlid)
        self.assertEqual(self._runs_of(method), dict.fromkeys(companies, 1))
        self.assertEqual((run.state, run.company_count), ("done", 3))

    def test_a_company_whose_call_collides_is_tried_again_in_the_same_run(self):
        """Two servers: a company's call that fails to serialize with another
        transaction (another job's run, which the policy's markers reference,
        changed meanwhile) is no failure of the company's job: it is rolled back
        and tried again soon, in the same run."""
        companies = self._only_companies(3)
        xmlid = "logistics_crm.ir_cron_schedule_visits"
        method = JOBS[xmlid]
        cron = self.env.ref(xmlid)
        policy_class = type(self.Policy)
        company_job = getattr(policy_class, method)
        collided = []

        def colliding(policy, today):
            if policy.company_id == self.company and not collided:
                collided.append(policy.id)
                raise psycopg2.errors.SerializationFailure(
                    "could not serialize access due to concurrent update"
                )
            return company_job(policy, today)

        triggered = self._recording_triggers()
        with (
            freeze_time(UTC_NIGHT),
            patch.object(policy_class, method, colliding),
            self.assertNoLogs("odoo.addons.logistics_crm", "ERROR"),
        ):
            self._runner(xmlid)
            self.assertTrue(collided)
            run = self.env["logistics.job.run"].search([("job", "=", "visits")])
            self.assertEqual((run.state, run.company_count), ("running", 0))
            self.assertEqual([cron_id for cron_id, _at in triggered], cron.ids)
            self.assertLessEqual(triggered[0][1], UTC_NIGHT + timedelta(minutes=1))
        with freeze_time(UTC_NIGHT + timedelta(seconds=20)):
            self._runner(xmlid)
        self.assertEqual(self._runs_of(method), dict.fromkeys(companies, 1))
        runs = self.env["logistics.job.run"].search([("job", "=", "visits")])
        self.assertEqual(runs, run)
        self.assertEqual((run.state, run.company_count), ("done", 3))
