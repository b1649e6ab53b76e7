from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..models import logistics_tier_policy_assignment as assignment_model
from .common import LogisticsTierCase, bus_notifications, last_bus_id, load_chinese
from .test_cron_runs import run_cron

CRON = "logistics_crm.ir_cron_job_requests"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 08:00:00")
class TestKeyAccountAssignmentBackground(LogisticsTierCase):
    """Assign Managers Now on more than ASSIGN_AT_ONCE_ACCOUNTS customers without
    a manager is done by the background jobs' scheduled action."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.manager.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.kam_1 = cls._logistics_user("lcrm_bg_kam_1")
        cls.kam_2 = cls._logistics_user("lcrm_bg_kam_2")
        cls.policy.manager_ids = [
            Command.create({"user_id": cls.kam_1.id, "capacity": 6}),
            Command.create({"user_id": cls.kam_2.id, "capacity": 3}),
        ]
        cls.customers = cls._customers(4, prefix="Unmanaged")
        for customer, value in zip(cls.customers, (400, 300, 200, 100), strict=True):
            cls.env["logistics.customer.tier"].create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "computed_tier": "A",
                    "value": value,
                }
            )

    def setUp(self):
        super().setUp()
        # 4 customers without a manager are many here
        self.patch(assignment_model, "ASSIGN_AT_ONCE_ACCOUNTS", 2)

    def _assign(self):
        return (
            self.policy.with_user(self.manager)
            .with_context(lang="zh_CN", tz="Asia/Shanghai")
            .action_auto_assign_key_accounts()
        )

    def _runs(self):
        return self.env["logistics.job.run"].sudo().search([("job", "=", "assign")])

    def test_many_customers_are_assigned_in_the_background(self):
        result = self._assign()
        self.assertEqual(result["params"]["title"], "后台任务已开始：分配客户经理")
        self.assertFalse(
            self.customers.key_account_manager_id, "nobody assigned in the request"
        )
        run = self._runs()
        self.assertRecordValues(
            run,
            [
                {
                    "state": "queued",
                    "total_count": 4,
                    "requested": True,
                    "company_id": self.company.id,
                    "requested_by_id": self.manager.id,
                }
            ],
        )
        with self.assertRaisesRegex(UserError, "后台任务中分配"):
            self._assign()
        bus = last_bus_id(self.env)
        run_cron(self, CRON)
        a1, a2, a3, a4 = self.customers
        self.assertEqual(a1.key_account_manager_id, self.kam_1)
        self.assertEqual(a2.key_account_manager_id, self.kam_2)
        self.assertEqual(a3.key_account_manager_id, self.kam_1)
        self.assertFalse(a4.key_account_manager_id, "nobody has room left")
        self.assertRecordValues(run, [{"state": "done", "done_count": 3}])
        self.assertIn("3", run.summary)
        self.assertIn("客户经理", run.summary)
        payloads = bus_notifications(self.env, self.manager, bus)
        self.assertEqual([p["message"] for p in payloads], [run.summary])
        self.assertEqual(payloads[0]["title"], "客户经理已分配")
        # the request is over: the button works again
        self.assertTrue(self._assign())

    def test_a_failure_is_rolled_back_and_told(self):
        self._assign()

        def broken(policy, plan_visits=True):
            policy._unmanaged_accounts()[:1].key_account_manager_id = self.kam_1
            raise ValueError("the pool broke")

        self.patch(type(self.policy), "_auto_assign_key_accounts", broken)
        with self.assertLogs("odoo.addons.logistics_crm", "ERROR"):
            run_cron(self, CRON)
        self.assertFalse(self.customers.key_account_manager_id, "rolled back")
        run = self._runs()
        self.assertEqual(run.state, "failed")
        self.assertIn("分配失败", run.summary)
        self.assertNotIn("the pool broke", run.summary, "no internals shown")

    def test_a_few_customers_are_assigned_at_once(self):
        self.patch(assignment_model, "ASSIGN_AT_ONCE_ACCOUNTS", 10)
        self.assertIs(self._assign(), True)
        self.assertEqual(len(self.customers.filtered("key_account_manager_id")), 3)
        self.assertFalse(self._runs())
