from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase, set_shares


@tagged("post_install", "-at_install")
class TestTierPolicy(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["logistics.tier.policy"]._get_company_policy(cls.company)

    def shares(self, policy=None):
        grades = (policy or self.policy).grade_ids.sorted("sequence")
        return [(grade.code, grade.share_percent) for grade in grades]

    def test_seeded_grades_and_service(self):
        levels = {
            grade.code: (
                grade.visit_interval_days,
                grade.executive_visit_interval_days,
                grade.ticket_priority,
                grade.key_account_required,
            )
            for grade in self.policy.grade_ids
        }
        self.assertEqual(
            levels,
            {
                "A": (30, 90, "3", True),
                "B": (90, 180, "2", True),
                "C": (0, 0, "1", False),
            },
        )
        self.assertEqual(self.shares(), [("A", 5), ("B", 15), ("C", 0)])
        self.assertEqual(
            self.policy.grade_ids.mapped("cumulative_percent"), [5, 20, 100]
        )
        self.assertEqual(self.policy.grade_ids.mapped("is_last"), [False, False, True])
        self.assertEqual(self.policy.period_months, 12)

    def test_bad_shares_are_refused_and_nothing_saved(self):
        grade_a, grade_b, _grade_c = self.policy.grade_ids.sorted("sequence")
        for a, b in ((0, 10), (50, 60), (10, 0), (-5, 20), (100, 0)):
            with (
                self.subTest(a=a, b=b),
                self.assertRaisesRegex(ValidationError, "share above 0%"),
            ):
                with self.env.cr.savepoint():
                    grade_a.share_percent = a
                    grade_b.share_percent = b
                    self.policy.flush_recordset()
        self.policy.invalidate_recordset()
        self.assertEqual(self.shares(), [("A", 5), ("B", 15), ("C", 0)], "unchanged")

    def test_codes_unique_and_two_grades_at_least(self):
        # a company of its own: nobody holds its grades yet
        company = self.env["res.company"].create({"name": "Grade Rules Ltd"})
        policy = company.logistics_tier_policy_id
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                policy.grade_ids[1].code = "A"
                policy.flush_recordset()
        grades = policy.grade_ids.sorted("sequence")
        grades[2].unlink()  # nobody in C: B becomes the last grade
        self.assertTrue(grades[1].is_last)
        with self.assertRaisesRegex(ValidationError, "at least two grades"):
            with self.env.cr.savepoint():
                grades[1].unlink()

    def test_railway_template_four_grades(self):
        self.policy.with_user(self.manager).with_context(
            grade_template="railway"
        ).action_apply_grade_template()
        self.assertEqual(self.shares(), [("A", 5), ("B", 15), ("C", 30), ("D", 0)])
        self.assertEqual(
            self.policy.grade_ids.sorted("sequence").mapped("name"),
            [
                "A – Strategic Customer",
                "B – Major Customer",
                "C – Regular Customer",
                "D – Occasional Customer",
            ],
        )
        self.assertIn("D: the other 500", self.policy.threshold_hint)
        # and back: D goes, the three grades come back with their service
        self.policy.with_context(grade_template="abc").action_apply_grade_template()
        self.assertEqual(self.shares(), [("A", 5), ("B", 15), ("C", 0)])
        self.assertEqual(self.policy._service_level("C").visit_interval_days, 0)

    def test_unknown_template_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Unknown grade template"):
            self.policy.with_context(
                grade_template="nope"
            ).action_apply_grade_template()

    def test_weights(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            with self.env.cr.savepoint():
                self.policy.weight_volume_revenue = -1
                self.policy.flush_recordset()
        with self.assertRaisesRegex(ValidationError, "at least one weight"):
            with self.env.cr.savepoint():
                self.policy.write({"metric": "weighted", "weight_invoice_revenue": 0})
                self.policy.flush_recordset()
        self.policy.write(
            {
                "metric": "weighted",
                "weight_invoice_revenue": 0,
                "weight_relationship_years": 2,
            }
        )
        self.assertEqual(self.policy.metric, "weighted")

    def test_lifecycle_months_and_period(self):
        with self.assertRaisesRegex(ValidationError, "at risk"):
            with self.env.cr.savepoint():
                self.policy.write(
                    {"lifecycle_at_risk_months": 12, "lifecycle_lapsed_months": 6}
                )
                self.policy.flush_recordset()
        with self.assertRaisesRegex(ValidationError, "at least one month"):
            with self.env.cr.savepoint():
                self.policy.period_months = 0
                self.policy.flush_recordset()

    def test_one_policy_per_company_and_new_companies_get_one(self):
        company = self.env["res.company"].create({"name": "Rail Freight Ltd"})
        policy = self.env["logistics.tier.policy"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(len(policy), 1)
        self.assertEqual(company.logistics_tier_policy_id, policy)
        self.assertEqual(len(policy.grade_ids), 3)

    def test_rep_cannot_change_policy_or_recompute(self):
        with self.assertRaises(AccessError):
            self.policy.with_user(self.rep).write({"period_months": 6})
        with self.assertRaises(AccessError):
            self.policy.with_user(self.rep).action_recompute()
        with self.assertRaises(AccessError):
            self.policy.grade_ids[0].with_user(self.rep).visit_interval_days = 1

    def test_admin_edits_policy_from_settings(self):
        # Settings need the administrator; managers use the policy menu
        settings = Form(self.env["res.config.settings"])
        settings.logistics_tier_period_months = 6
        settings.logistics_tier_method = "value_share"
        settings.save().execute()
        self.assertEqual(self.policy.period_months, 6)
        self.assertEqual(self.policy.method, "value_share")

    def test_method_change_proposes_fitting_shares(self):
        with Form(self.policy) as form:
            self.assertIn(
                "of 1,000 customers, A 50, B 150; C: the other 800",
                form.threshold_hint,
            )
            form.method = "value_share"
            # 5 % of the value would be one or two customers: 80 / 15 instead
            self.assertEqual(
                [line["share_percent"] for line in form.grade_ids._records[:2]],
                [80, 15],
            )
            self.assertIn("80/20", form.threshold_hint)
            form.method = "customer_share"
        self.assertEqual(self.shares(), [("A", 5), ("B", 15), ("C", 0)])
        # shares a manager chose stay, the hint tells what they now mean
        set_shares(self.policy, 10)
        with Form(self.policy) as form:
            form.method = "value_share"
            self.assertIn("A ≤ 10%", form.threshold_hint)
        self.assertEqual(self.shares(), [("A", 10), ("B", 15), ("C", 0)])
