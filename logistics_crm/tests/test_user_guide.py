from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestUserGuide(TransactionCase):
    """*Logistics CRM > User Guide* opens the guide in the user's language."""

    def _open_guide_as(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        user = new_test_user(
            self.env,
            login=f"guide-reader-{lang}",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            lang=lang,
            tz="Asia/Shanghai",
        )
        action = self.env.ref("logistics_crm.logistics_user_guide_action")
        return action.with_user(user).run()

    def test_a_chinese_rep_gets_the_chinese_guide(self):
        result = self._open_guide_as("zh_CN")
        self.assertEqual(result["type"], "ir.actions.act_url")
        self.assertTrue(result["url"].endswith("/docs/guide/zh_CN/README.md"))

    def test_other_languages_get_the_english_guide(self):
        result = self._open_guide_as("fr_FR")
        self.assertTrue(result["url"].endswith("/docs/guide/en/README.md"))

    def test_every_user_of_the_app_sees_the_menu(self):
        menu = self.env.ref("logistics_crm.logistics_user_guide_menu")
        self.assertFalse(menu[GROUPS_FIELD])
        root = self.env.ref("logistics_crm.logistics_crm_menu_root")
        self.assertEqual(menu.parent_id, root)
        load_chinese(self.env)
        self.assertEqual(menu.with_context(lang="zh_CN").name, "用户指南")

    def test_users_outside_the_app_cannot_run_it(self):
        employee = new_test_user(
            self.env, login="guide-outsider", groups="base.group_user"
        )
        action = self.env.ref("logistics_crm.logistics_user_guide_action")
        with self.assertRaises(AccessError):
            action.with_user(employee).run()
