from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models import logistics_customer_survey as survey_model
from ..models import logistics_job_run_survey as survey_job
from .common import LogisticsTierCase, bus_notifications, last_bus_id, load_chinese
from .test_cron_runs import run_cron

CRON = "logistics_crm.ir_cron_job_requests"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15 08:00:00")
class TestSurveyBackground(LogisticsTierCase):
    """Send Survey Now on more than SURVEY_AT_ONCE_ACCOUNTS accounts is sent by
    the background jobs' scheduled action, in committed batches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.manager.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.customers = cls._customers(5, prefix="Asked", customer_rank=1)
        for index, customer in enumerate(cls.customers):
            customer.email = f"buyer{index}@asked.example.com"
            cls._invoice(customer, 1000.0 * (5 - index), "2026-10-01")
        cls.policy._recompute_tiers()
        cls.policy.survey_id = cls.env.ref("logistics_crm.survey_relationship")
        cls.accounts = cls.env["logistics.customer.tier"].search(
            [("partner_id", "in", cls.customers.ids)]
        )

    def setUp(self):
        super().setUp()
        # 5 accounts are many here, sent 2 at a time
        self.patch(survey_model, "SURVEY_AT_ONCE_ACCOUNTS", 2)
        self.patch(survey_job, "SURVEY_BATCH", 2)

    def _send(self, accounts):
        return (
            accounts.with_user(self.manager)
            .with_context(lang="zh_CN", tz="Asia/Shanghai")
            .action_send_relationship_survey()
        )

    def _surveys(self):
        return self.env["logistics.relationship.survey"].search(
            [("partner_id", "in", self.customers.ids)]
        )

    def test_many_accounts_are_asked_in_the_background(self):
        result = self._send(self.accounts)
        self.assertEqual(result["params"]["title"], "后台任务已开始：发送客户关系调查")
        self.assertFalse(self._surveys(), "nothing sent in the request")
        run = self.env["logistics.job.run"].sudo().search([("job", "=", "survey")])
        self.assertRecordValues(
            run, [{"state": "queued", "total_count": 5, "requested": True}]
        )
        self.assertEqual(run.account_ids, self.accounts)
        with self.assertRaisesRegex(UserError, "后台"):
            self._send(self.accounts[:1])
        bus = last_bus_id(self.env)
        run_cron(self, CRON)
        self.assertEqual(self._surveys().partner_id, self.customers)
        self.assertEqual(len(self._surveys()), 5, "each once")
        self.assertRecordValues(run, [{"state": "done", "done_count": 5}])
        self.assertFalse(run.account_ids)
        self.assertEqual(run.summary, "已向 5 位客户发送客户关系调查。")
        payloads = bus_notifications(self.env, self.manager, bus)
        self.assertEqual([p["message"] for p in payloads], [run.summary])
        self.assertEqual(payloads[0]["title"], "客户关系调查已发送")

    def test_a_few_accounts_are_asked_at_once(self):
        result = self._send(self.accounts[:2])
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(len(self._surveys()), 2)
        self.assertFalse(
            self.env["logistics.job.run"].sudo().search([("job", "=", "survey")])
        )
