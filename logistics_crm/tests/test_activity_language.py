from datetime import date

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import ODOO_19

from .common import LogisticsTierCase, load_chinese


@tagged("post_install", "-at_install")
@freeze_time("2026-11-08")
class TestActivityLanguage(LogisticsTierCase):
    """The texts of the activities the jobs create are written in the language
    of the user they are assigned to, dates included: a Chinese rep does not
    read "Next order expected on 12/02/2026"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.rep_zh = new_test_user(
            cls.env,
            login="lcrm_rep_zh",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.rep.lang = "en_US"
        cls.customers = cls._customers(2, prefix="Rhythm")
        cls.customers[0].with_company(cls.company).key_account_manager_id = cls.rep_zh
        cls.customers[1].with_company(cls.company).key_account_manager_id = cls.rep
        for customer in cls.customers:
            for day in ("2026-09-01", "2026-09-15", "2026-09-29", "2026-10-13"):
                cls._invoice(customer, 500.0, day)
            cls._invoice(customer, 500.0, "2026-10-27")

    def _summary(self, customer):
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_proactive").id,
                ),
            ]
        )
        self.assertEqual(len(activity), 1)
        return activity.summary

    def test_proactive_call_in_the_assignees_language(self):
        Partner = self.env["res.partner"].with_context(lang="en_US")
        Partner._update_order_rhythm(self.policy, date.today())
        Partner._plan_proactive_contacts(self.policy, date.today())
        # 19.0: Odoo's Chinese date format is 2026/11/10 (18.0: 2026年11月10日)
        expected = "2026/11/10" if ODOO_19 else "2026年11月10日"
        self.assertEqual(
            self._summary(self.customers[0]),
            f"预计 {expected} 下单：请在客户断货前致电",
        )
        self.assertEqual(
            self._summary(self.customers[1]),
            "Next order expected on 11/10/2026: call before the customer runs out",
        )

    def test_a_user_without_language_reads_the_companys(self):
        self.company.partner_id.lang = "zh_CN"
        user = self.env["res.users"].new({"lang": False})
        self.assertEqual(user._logistics_lang(self.company), "zh_CN")
        self.assertEqual(self.rep_zh._logistics_lang(self.company), "zh_CN")
        self.assertEqual(self.rep._logistics_lang(self.company), "en_US")
        env = user._logistics_in_lang(self.policy, self.company).env
        self.assertEqual(env._("Customer tiers recomputed"), "客户分级已重新计算")
