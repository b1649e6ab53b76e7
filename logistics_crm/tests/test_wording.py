from lxml import etree

from odoo.tests import tagged

from .common import LogisticsCrmCase, load_chinese


@tagged("post_install", "-at_install")
class TestWording(LogisticsCrmCase):
    """Each state is named for what it is, and shown where reps look."""

    def _labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def test_each_meaning_has_its_own_label(self):
        lifecycle = self._labels("res.partner", "lifecycle_stage")
        trend = self._labels("res.partner", "tier_trend")
        sla = self._labels("logistics.ticket", "sla_status")
        self.assertEqual(lifecycle["new"], "New Customer")
        self.assertEqual(lifecycle["active"], "Active Customer")
        self.assertEqual(trend["at_risk"], "Volume Dropping")
        self.assertEqual(sla["at_risk"], "SLA at Risk")
        self.assertEqual(
            len({lifecycle["at_risk"], trend["at_risk"], sla["at_risk"]}), 3
        )
        stage_new = self.env.ref("logistics_crm.logistics_ticket_stage_new")
        self.assertNotIn(stage_new.name, lifecycle.values())

    def test_chinese_labels_follow_the_course(self):
        load_chinese(self.env)
        fields = self.env(context=dict(self.env.context, lang="zh_CN"))[
            "res.partner"
        ].fields_get(
            ["customer_size", "tier_trend", "lifecycle_stage", "communication_style"],
            ["selection"],
        )

        def label(field, value):
            return dict(fields[field]["selection"])[value]

        self.assertEqual(label("customer_size", "medium"), "中型客户")
        self.assertEqual(label("tier_trend", "rising_star"), "明日之星")
        self.assertEqual(label("tier_trend", "at_risk"), "业务量下滑")
        self.assertEqual(label("lifecycle_stage", "new"), "新客户")
        self.assertEqual(label("lifecycle_stage", "at_risk"), "流失风险")
        self.assertEqual(label("communication_style", "stubborn"), "顽固不化型")

    def _arch(self, user, view_type, xmlid=None):
        Partner = self.env["res.partner"].with_user(user)
        view = self.env.ref(xmlid).id if xmlid else False
        return etree.fromstring(Partner.get_view(view, view_type)["arch"])

    def test_tier_badge_in_the_title_and_on_the_card(self):
        form = self._arch(self.rep, "form", "base.view_partner_form")
        # right under the name (19.0's form has no "oe_title" block around it)
        self.assertTrue(
            form.xpath("(//sheet//h1)[1]/following-sibling::*//field[@name='tier']")
        )
        kanban = self._arch(self.rep, "kanban", "base.res_partner_kanban_view")
        self.assertTrue(kanban.xpath("//footer//field[@name='tier']"))
        # a plain employee sees neither (the fields are the CRM users')
        form = self._arch(self.employee, "form", "base.view_partner_form")
        self.assertFalse(form.xpath("//field[@name='tier']"))
        kanban = self._arch(self.employee, "kanban", "base.res_partner_kanban_view")
        self.assertFalse(kanban.xpath("//field[@name='tier']"))

    def test_ticket_number_on_one_line(self):
        arch = etree.fromstring(
            self.env["logistics.ticket"].get_view(False, "kanban")["arch"]
        )
        (number,) = arch.xpath("//t[@t-name='card']//field[@name='number']")
        self.assertIn("text-nowrap", number.get("class"))
