from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import logistics_job_run_handover as handover_job
from ..wizards import logistics_account_handover_wizard as handover_wizard
from .common import LogisticsTierCase, bus_notifications, last_bus_id, load_chinese
from .test_cron_runs import run_cron

CRON = "logistics_crm.ir_cron_job_requests"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 08:00:00")
class TestAccountHandoverBackground(LogisticsTierCase):
    """A book above HANDOVER_AT_ONCE_ACCOUNTS is handed over by the handover's
    scheduled action, in committed batches, and the manager is told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.manager.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.kam_1 = cls._logistics_user("lcrm_bg_kam_1")
        cls.kam_2 = cls._logistics_user("lcrm_bg_kam_2")
        cls.customers = cls._customers(5, prefix="Book")
        cls.env["logistics.customer.tier"].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "computed_tier": "A",
                    "value": 100.0 * (5 - i),
                    "key_account_manager_id": cls.kam_1.id,
                }
                for i, customer in enumerate(cls.customers)
            ]
        )
        cls.visit = cls.env["logistics.visit"].create(
            {
                "partner_id": cls.customers[4].id,
                "user_id": cls.kam_1.id,
                "company_id": cls.company.id,
            }
        )
        cls.cron = cls.env.ref(CRON)

    def setUp(self):
        super().setUp()
        # 5 accounts are a large book here, done 2 at a time
        self.patch(handover_wizard, "HANDOVER_AT_ONCE_ACCOUNTS", 2)
        self.patch(handover_job, "HANDOVER_BATCH", 2)

    def _wizard(self):
        return (
            self.env["logistics.account.handover.wizard"]
            .with_user(self.manager)
            .with_context(lang="zh_CN", tz="Asia/Shanghai")
            .create(
                {
                    "from_user_id": self.kam_1.id,
                    "to_user_id": self.kam_2.id,
                    "reason": "Kam 1 leaves",
                }
            )
        )

    def _managers(self):
        self.env.invalidate_all()
        return {
            self._tier_row(customer).key_account_manager_id
            for customer in self.customers
        }

    def _last_bus_id(self):
        return last_bus_id(self.env)

    def _notifications(self, after_id):
        return bus_notifications(self.env, self.manager, after_id)

    def _progress(self):
        return (
            self.env["ir.cron.progress"]
            .sudo()
            .search([("cron_id", "=", self.cron.id)], order="id")
        )

    def test_a_large_book_is_handed_over_in_batches(self):
        triggers = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", self.cron.id)])
        )
        result = self._wizard().action_handover()
        self.assertEqual(result["params"]["title"], "后台任务已开始：交接客户")
        self.assertEqual(self._managers(), {self.kam_1}, "nothing moved yet")
        run = self.env["logistics.job.run"].search([("job", "=", "handover")])
        self.assertRecordValues(
            run,
            [
                {
                    "state": "queued",
                    "requested_by_id": self.manager.id,
                    "from_user_id": self.kam_1.id,
                    "to_user_id": self.kam_2.id,
                    "total_count": 5,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertEqual(
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", self.cron.id)]),
            triggers + 1,
        )
        # the same book cannot be handed over twice at once
        with self.assertRaisesRegex(ValidationError, "后台"):
            self._wizard().action_handover()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            run.sudo().copy()

        bus = self._last_bus_id()
        progress = self._progress()
        run_cron(self, CRON)
        self.assertEqual(self._managers(), {self.kam_2})
        self.assertEqual(self.visit.user_id, self.kam_2)
        self.assertRecordValues(run, [{"state": "done", "done_count": 5}])
        self.assertEqual(run.summary, f"已交接 {self.kam_1.name} 的 5 个客户。")
        # one committed call to start, then batches of 2
        calls = self._progress() - progress
        self.assertEqual(calls.mapped("done"), [1, 2, 2, 1])
        self.assertEqual(calls[-1].remaining, 0)
        notes = self._notifications(bus)
        self.assertEqual(len(notes), 1, notes)
        self.assertEqual(notes[0]["title"], "已交接的客户")
        self.assertEqual(notes[0]["message"], run.summary)
        note = self.customers[0].message_ids.filtered(
            lambda m: "lcrm_bg_kam_2" in (m.body or "")
        )
        self.assertTrue(note, "each customer gets its handover note")

    def test_a_failing_batch_is_rolled_back_and_reported(self):
        self._wizard().action_handover()
        run = self.env["logistics.job.run"].search([("job", "=", "handover")])
        bus = self._last_bus_id()
        wizard_class = type(self.env["logistics.account.handover.wizard"])

        def failing(wizard, *args):
            raise RuntimeError("tickets broke")

        with (
            patch.object(wizard_class, "_transfer_tickets", failing),
            mute_logger(handover_job.__name__),
        ):
            run_cron(self, CRON)
        self.assertEqual(self._managers(), {self.kam_1}, "the batch rolled back")
        self.assertEqual(run.state, "failed")
        self.assertIn("详见服务器日志", run.summary)
        notes = self._notifications(bus)
        self.assertEqual([n["type"] for n in notes], ["danger"])
        self.assertEqual(notes[0]["title"], "后台任务失败")
        # the next request works
        self._wizard().action_handover()
        run_cron(self, CRON)
        self.assertEqual(self._managers(), {self.kam_2})

    def test_a_small_book_is_handed_over_at_once(self):
        self.patch(handover_wizard, "HANDOVER_AT_ONCE_ACCOUNTS", 5)
        result = self._wizard().action_handover()
        self.assertEqual(result["params"]["title"], "已交接的客户")
        self.assertEqual(self._managers(), {self.kam_2})
        self.assertFalse(
            self.env["logistics.job.run"].search([("job", "=", "handover")])
        )
