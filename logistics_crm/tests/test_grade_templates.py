from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LogisticsTierCase, load_chinese

RAILWAY_ZH = ["A – 战略客户", "B – 重要客户", "C – 普通客户", "D – 零散客户"]
RAILWAY_EN = [
    "A – Strategic Customer",
    "B – Major Customer",
    "C – Regular Customer",
    "D – Occasional Customer",
]


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15 02:00:00")
class TestGradeTemplateChange(LogisticsTierCase):
    """A grade template applied by a manager working in Chinese: the grades are
    named in every language, and the customers it moves are a change of scale,
    not customer moves (no tier-down to-dos, no "13 位降级")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.manager_zh = new_test_user(
            cls.env,
            login="lcrm_manager_zh",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.policy.responsible_user_id = cls.manager_zh
        cls.customers = cls._customers(20, prefix="Rail", customer_rank=1)
        for i, customer in enumerate(cls.customers):
            cls._invoice(customer, 1000.0 * (20 - i), "2026-10-01")

    def _tier_activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", self.customers.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_tier_change").id,
                ),
            ]
        )

    def _history(self):
        return self.env["logistics.tier.history"].search(
            [("partner_id", "in", self.customers.ids)]
        )

    def test_railway_template_in_chinese(self):
        self.policy._recompute_tiers()
        # 5 / 15 % of 20: A 1, B 3, C the other 16
        self.assertEqual([g["count"] for g in self.policy.dashboard_grades], [1, 3, 16])
        activities, history = self._tier_activities(), self._history()
        self.policy.invalidate_recordset()
        moves = (self.policy.dashboard_moves_up, self.policy.dashboard_moves_down)

        self.policy.with_user(self.manager_zh).with_context(
            lang="zh_CN", grade_template="railway"
        ).action_apply_grade_template()

        grades = self.policy.grade_ids.sorted("sequence")
        self.assertEqual(grades.with_context(lang="zh_CN").mapped("name"), RAILWAY_ZH)
        self.assertEqual(grades.with_context(lang="en_US").mapped("name"), RAILWAY_EN)
        selection = dict(
            self.env["res.partner"]
            .with_context(lang="zh_CN")
            .fields_get(["tier"], ["selection"])["tier"]["selection"]
        )
        self.assertEqual(selection["A"], "A – 战略客户")

        # the customers are on the new scale at once: 30 % of 20 in C, D the rest
        self.assertEqual(
            [g["count"] for g in self.policy.dashboard_grades], [1, 3, 6, 10]
        )
        self.assertEqual(self._tier_row(self.customers[-1]).tier, "D")
        rescaled = self._history() - history
        self.assertEqual(len(rescaled), 10)
        self.assertEqual(set(rescaled.mapped("source")), {"scale"})
        self.assertEqual(set(rescaled.mapped("direction")), {"rescaled"})
        self.assertEqual(self._tier_activities(), activities, "no tier-down to-dos")
        self.policy.invalidate_recordset()
        self.assertEqual(
            (self.policy.dashboard_moves_up, self.policy.dashboard_moves_down), moves
        )
        # the next recompute finds nothing moved
        history = self._history()
        self.policy._recompute_tiers()
        self.assertEqual(self._history(), history)

    def test_back_from_railway_ranks_the_d_customers_on_the_new_scale(self):
        self.policy._recompute_tiers()
        manager = self.policy.with_user(self.manager_zh)
        manager.with_context(grade_template="railway").action_apply_grade_template()
        in_d = self.customers.filtered(lambda c: self._tier_row(c).tier == "D")
        self.assertEqual(len(in_d), 10)
        history = self._history()

        # D holds ten ranked customers: the new scale ranks them, D goes
        manager.with_context(grade_template="abc").action_apply_grade_template()

        self.assertEqual(self.policy.grade_ids.mapped("code"), ["A", "B", "C"])
        self.assertEqual({self._tier_row(customer).tier for customer in in_d}, {"C"})
        moved = (self._history() - history).filtered(lambda h: h.partner_id in in_d)
        self.assertEqual(len(moved), 10)
        self.assertEqual(set(moved.mapped("previous_tier")), {"D"})
        self.assertEqual(set(moved.mapped("new_tier")), {"C"})
        self.assertEqual(set(moved.mapped("source")), {"scale"})

    def test_a_forced_grade_still_holds_its_grade(self):
        self.policy._recompute_tiers()
        manager = self.policy.with_user(self.manager_zh)
        manager.with_context(grade_template="railway").action_apply_grade_template()
        self.env["logistics.tier.force.wizard"].with_company(self.company).create(
            {
                "partner_id": self.customers[-1].id,
                "forced_tier": "D",
                "reason": "Occasional by contract",
            }
        ).action_apply()
        with self.assertRaises(ValidationError):
            manager.with_context(grade_template="abc").action_apply_grade_template()
        self.assertEqual(self._tier_row(self.customers[-1]).tier, "D")

    def test_template_without_ranked_customers_ranks_nobody(self):
        self.policy.with_context(
            lang="zh_CN", grade_template="railway"
        ).action_apply_grade_template()
        self.assertFalse(self._history())
        self.assertEqual(
            self.policy.grade_ids.sorted("sequence")
            .with_context(lang="zh_CN")
            .mapped("name"),
            RAILWAY_ZH,
        )

    def test_policy_named_in_every_language(self):
        company = self.env["res.company"].create({"name": "Shanghai Freight zh"})
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        self.assertEqual(policy.with_context(lang="en_US").name, "ABC Tiers")
        self.assertEqual(policy.with_context(lang="zh_CN").name, "ABC 客户分级")
        # created by a user working in Chinese: the same two names
        policy.unlink()
        policy = (
            self.env["logistics.tier.policy"]
            .with_context(lang="zh_CN")
            ._get_company_policy(company)
        )
        self.assertEqual(policy.with_context(lang="en_US").name, "ABC Tiers")
        self.assertEqual(policy.with_context(lang="zh_CN").name, "ABC 客户分级")

    def test_recompute_summary_in_the_readers_language(self):
        # the nightly run (an English-speaking cron user) writes the summary
        self.policy.with_context(lang="en_US")._recompute_tiers(source="cron")
        self.assertEqual(
            self.policy.with_context(lang="zh_CN").last_recompute_summary,
            f"{self.company.name}：已为 20 个客户排名（A：1、B：3和C：16），"
            "客户分级变动 20 次。",
        )
        self.assertIn(
            "20 customers ranked (A: 1, B: 3, and C: 16)",
            self.policy.with_context(lang="en_US").last_recompute_summary,
        )
        # the button, pressed by a manager working in Chinese
        action = (
            self.policy.with_user(self.manager_zh)
            .with_context(lang="zh_CN")
            .action_recompute()
        )
        self.assertEqual(action["params"]["title"], "客户分级已重新计算")
        self.assertIn(
            "已为 20 个客户排名（A：1、B：3和C：16）", action["params"]["message"]
        )
