from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import load_chinese, set_shares


@tagged("post_install", "-at_install")
class TestTranslation(TransactionCase):
    """The zh_CN catalogue loads and reaches labels, menus and error messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_tier_selection_label(self):
        selection = self.env_zh["logistics.customer.tier"].fields_get(
            ["tier"], ["selection"]
        )["tier"]["selection"]
        self.assertEqual(dict(selection)["A"], "A – 关键客户")

    def test_railway_grade_names(self):
        company = self.env["res.company"].create({"name": "Rail Freight zh"})
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        policy.with_context(grade_template="railway").action_apply_grade_template()
        grades = self.env_zh["logistics.customer.grade"].browse(policy.grade_ids.ids)
        self.assertEqual(
            grades.sorted("sequence").mapped("name"),
            ["A – 战略客户", "B – 重要客户", "C – 普通客户", "D – 零散客户"],
        )

    def test_root_menu(self):
        menu = self.env_zh.ref("logistics_crm.logistics_crm_menu_root")
        self.assertEqual(menu.name, "物流 CRM")

    def test_validation_error_message(self):
        policy = self.env_zh["logistics.tier.policy"]._get_company_policy(
            self.env.company
        )
        with self.assertRaisesRegex(ValidationError, "各等级占比之和不得超过 100%"):
            with self.env.cr.savepoint():
                set_shares(policy, 50, 60)
                policy.flush_recordset()
