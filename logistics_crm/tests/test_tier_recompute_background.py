from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import logistics_tier_policy_recompute_job as recompute_job
from ..models.logistics_tier_policy_recompute import RECOMPUTE_LOCK_NAMESPACE
from .common import (
    LogisticsTierCase,
    bus_notifications,
    last_bus_id,
    load_chinese,
    set_shares,
)
from .test_cron_runs import run_cron

NOW = "2026-11-16 08:00:00"
CRON = "logistics_crm.ir_cron_recompute_tiers"


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestTierRecomputeBackground(LogisticsTierCase):
    """Recompute Now on a company above RECOMPUTE_AT_ONCE_CUSTOMERS returns at
    once; the recompute's scheduled action does it and tells the manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.manager.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        # 5 customers with distinct revenue: 1 A (20%), 1 B (20%), 3 C
        set_shares(cls.policy, 20.0, 20.0)
        cls.customers = cls._customers(5, prefix="Background Shipper")
        for i, customer in enumerate(cls.customers):
            cls._invoice(customer, 1000.0 * (5 - i), "2026-06-01")
        cls.cron = cls.env.ref(CRON)

    def setUp(self):
        super().setUp()
        # every company had this month's scheduled recompute: the runner finds
        # only the requests to do
        self.Policy = self.env["logistics.tier.policy"].sudo()
        self.Policy.search([]).write({"cron_recompute_day": "2026-11-16"})
        # 5 customers are above the line here
        self.patch(recompute_job, "RECOMPUTE_AT_ONCE_CUSTOMERS", 3)
        # the manager in the web client: their language and zone in the context
        self.as_manager = self.policy.with_user(self.manager).with_context(
            lang="zh_CN", tz="Asia/Shanghai"
        )

    def _triggers(self):
        return (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", self.cron.id)])
        )

    def _last_bus_id(self):
        return last_bus_id(self.env)

    def _notifications(self, user, after_id):
        return bus_notifications(self.env, user, after_id)

    def _tiers(self):
        self.env.invalidate_all()
        return [self._tier_row(customer).tier or False for customer in self.customers]

    def test_button_returns_at_once_and_cannot_start_twice(self):
        policy = self.as_manager
        triggers = self._triggers()
        result = policy.action_recompute()
        self.assertEqual(result["params"]["title"], "后台任务已开始：重新计算客户分级")
        self.assertEqual(self._tiers(), [False] * 5, "nothing ranked in the request")
        run = self.policy.recompute_job_id
        self.assertRecordValues(
            run,
            [
                {
                    "state": "queued",
                    "requested": True,
                    "requested_by_id": self.manager.id,
                    "company_id": self.company.id,
                    "total_count": 1,
                    "done_count": 0,
                    "recompute_source": "manual",
                }
            ],
        )
        self.assertEqual(self._triggers(), triggers + 1, "the cron is woken up")
        self.assertIn("等待", policy.recompute_job_status)
        # the form and the per-company overview show it
        for xmlid, view_type in (
            ("logistics_crm.logistics_tier_policy_view_form", "form"),
            ("logistics_crm.logistics_tier_policy_view_kanban_dashboard", "kanban"),
        ):
            arch = policy.get_view(self.env.ref(xmlid).id, view_type)["arch"]
            self.assertIn('name="recompute_job_status"', arch, xmlid)
        with self.assertRaisesRegex(UserError, "后台"):
            policy.action_recompute()
        # nor can the grades change under it
        with self.assertRaises(UserError):
            policy.with_context(grade_template="railway").action_apply_grade_template()
        # the request is the methods' to set, not a direct write's
        with self.assertRaises(ValidationError):
            policy.write({"recompute_job_id": False})
        self.assertEqual(self.policy.recompute_job_id, run)

    def test_the_runner_does_it_and_notifies_the_manager(self):
        self.as_manager.action_recompute()
        run = self.policy.recompute_job_id
        marker = self.policy.cron_recompute_run_id
        bus = self._last_bus_id()
        run_cron(self, CRON)
        self.assertEqual(self._tiers(), ["A", "B", "C", "C", "C"])
        self.assertFalse(self.policy.recompute_job_id, "the next request can come")
        self.assertRecordValues(run, [{"state": "done", "done_count": 1}])
        self.assertTrue(run.date_end)
        history = self.env["logistics.tier.history"].search(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertEqual(set(history.mapped("source")), {"manual"})
        self.assertEqual(history.create_uid, self.manager, "done as the manager")
        # not the night's scheduled run
        self.assertEqual(self.policy.cron_recompute_run_id, marker)
        summary = self.policy.with_context(lang="zh_CN").last_recompute_summary
        self.assertIn("已为 5 个客户排名", summary)
        notes = self._notifications(self.manager, bus)
        self.assertEqual(len(notes), 1, notes)
        self.assertEqual(notes[0]["title"], "客户分级已重新计算")
        self.assertEqual(notes[0]["type"], "success")
        self.assertEqual(notes[0]["message"], summary)
        self.assertEqual(run.summary, summary)

    def test_a_failing_run_is_rolled_back_alone_and_reported(self):
        self.as_manager.action_recompute()
        run = self.policy.recompute_job_id
        bus = self._last_bus_id()
        policy_class = type(self.env["logistics.tier.policy"])

        def failing(policy, *args, **kwargs):
            raise RuntimeError("the alerts broke")

        # the tiers are written before the alerts: rolled back with them
        with (
            patch.object(policy_class, "_create_alerts", failing),
            mute_logger(recompute_job.__name__),
        ):
            run_cron(self, CRON)
        self.assertEqual(self._tiers(), [False] * 5)
        self.assertFalse(
            self.env["logistics.tier.history"].search_count(
                [("partner_id", "in", self.customers.ids)]
            )
        )
        self.assertRecordValues(run, [{"state": "failed", "failed_count": 1}])
        self.assertIn("失败（详见服务器日志）", run.summary)
        self.assertFalse(self.policy.recompute_job_id)
        notes = self._notifications(self.manager, bus)
        self.assertEqual(len(notes), 1, notes)
        self.assertEqual(notes[0]["type"], "danger")
        self.assertEqual(notes[0]["title"], "后台任务失败")
        self.assertEqual(notes[0]["message"], run.summary)
        self.assertIn("失败（详见服务器日志）", self.policy.message_ids[:1].body)
        # the next request works
        self.as_manager.action_recompute()
        run_cron(self, CRON)
        self.assertEqual(self._tiers(), ["A", "B", "C", "C", "C"])
        self.assertFalse(self.policy.recompute_job_id)

    def test_a_recompute_holding_the_company_is_waited_for(self):
        self.as_manager.action_recompute()
        run = self.policy.recompute_job_id
        cron_class = type(self.env["ir.cron"])
        original = cron_class._trigger
        triggered = []

        def recording(cron, at=None):
            triggered.append((cron.id, at))
            return original(cron, at)

        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            # a recompute at once of this company runs in another transaction
            other.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [RECOMPUTE_LOCK_NAMESPACE, self.policy.id],
            )
            with patch.object(cron_class, "_trigger", recording):
                run_cron(self, CRON)
        finally:
            other.rollback()
            other.close()
        self.assertEqual(self._tiers(), [False] * 5, "no two recomputes write")
        self.assertEqual(self.policy.recompute_job_id, run)
        self.assertEqual(run.state, "running")
        self.assertIn("进行中", self.as_manager.recompute_job_status)
        self.assertIn("0 / 1", self.as_manager.recompute_job_status)
        in_a_minute = datetime(2026, 11, 16, 8, 1)
        self.assertEqual(triggered, [(self.cron.id, in_a_minute)])
        run_cron(self, CRON)
        self.assertEqual(run.state, "done")
        self.assertEqual(self._tiers(), ["A", "B", "C", "C", "C"])

    def test_the_scheduled_run_still_does_its_companies(self):
        """A request and the month's run in one go of the runner: each once,
        the request as a manual recompute, the month's as the cron's."""
        self.Policy.search([("company_id", "!=", self.company.id)]).unlink()
        self.policy.sudo().cron_recompute_day = False
        self.as_manager.action_recompute()
        run = self.policy.recompute_job_id
        run_cron(self, CRON)
        self.assertEqual(run.state, "done")
        history = self.env["logistics.tier.history"].search(
            [("partner_id", "in", self.customers.ids)]
        )
        self.assertEqual(set(history.mapped("source")), {"manual"})
        scheduled = self.policy.cron_recompute_run_id
        self.assertTrue(scheduled.scheduled)
        self.assertEqual(scheduled.state, "done")
        self.assertEqual(str(self.policy.cron_recompute_day), "2026-11-16")

    def test_below_the_line_the_button_recomputes_at_once(self):
        self.patch(recompute_job, "RECOMPUTE_AT_ONCE_CUSTOMERS", 5)
        triggers = self._triggers()
        result = self.as_manager.action_recompute()
        self.assertIn("已为 5 个客户排名", result["params"]["message"])
        self.assertEqual(self._tiers(), ["A", "B", "C", "C", "C"])
        self.assertFalse(self.policy.recompute_job_id)
        self.assertEqual(self._triggers(), triggers)

    def test_a_new_grade_scale_above_the_line_ranks_in_the_background(self):
        self.policy.with_user(self.manager)._recompute_tiers()
        result = (
            self.policy.with_user(self.manager)
            .with_context(grade_template="railway")
            .action_apply_grade_template()
        )
        self.assertEqual(result["tag"], "display_notification")
        run = self.policy.recompute_job_id
        self.assertEqual(run.recompute_source, "scale")
        self.assertEqual(self.policy.grade_ids.mapped("code"), ["A", "B", "C", "D"])
        run_cron(self, CRON)
        self.assertEqual(run.state, "done")
        history = self.env["logistics.tier.history"].search(
            [("partner_id", "in", self.customers.ids), ("source", "=", "scale")]
        )
        self.assertTrue(history, "the new scale is recorded as such")
        self.assertIn("D", self._tiers())
