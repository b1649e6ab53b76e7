from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestTierPolicy(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["logistics.tier.policy"]._get_company_policy(cls.company)

    def test_seeded_service_levels(self):
        levels = {
            line.tier: (
                line.visit_interval_days,
                line.executive_visit_interval_days,
                line.ticket_priority,
                line.key_account_required,
            )
            for line in self.policy.line_ids
        }
        self.assertEqual(
            levels,
            {
                "A": (30, 90, "3", True),
                "B": (90, 180, "2", True),
                "C": (0, 0, "1", False),
            },
        )
        self.assertEqual(self.policy.a_threshold, 5)
        self.assertEqual(self.policy.b_threshold, 15)
        self.assertEqual(self.policy.period_months, 12)

    def test_bad_thresholds_are_refused_and_nothing_saved(self):
        for a, b in ((0, 10), (50, 60), (10, 0), (-5, 20), (100, 0)):
            with (
                self.subTest(a=a, b=b),
                self.assertRaisesRegex(ValidationError, "0 < A < A \\+ B <= 100"),
            ):
                with self.env.cr.savepoint():
                    self.policy.write({"a_threshold": a, "b_threshold": b})
                    self.policy.flush_recordset()
        self.policy.invalidate_recordset()
        self.assertEqual(
            (self.policy.a_threshold, self.policy.b_threshold), (5, 15), "unchanged"
        )

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
        self.assertEqual(len(policy.line_ids), 3)

    def test_rep_cannot_change_policy_or_recompute(self):
        with self.assertRaises(AccessError):
            self.policy.with_user(self.rep).write({"a_threshold": 10})
        with self.assertRaises(AccessError):
            self.policy.with_user(self.rep).action_recompute()
        with self.assertRaises(AccessError):
            self.policy.line_ids[0].with_user(self.rep).visit_interval_days = 1

    def test_admin_edits_policy_from_settings(self):
        # Settings need the administrator; managers use the policy menu
        settings = Form(self.env["res.config.settings"])
        settings.logistics_tier_a_threshold = 10
        settings.logistics_tier_b_threshold = 20
        settings.logistics_tier_method = "value_share"
        settings.save().execute()
        self.assertEqual(self.policy.a_threshold, 10)
        self.assertEqual(self.policy.method, "value_share")

    def test_settings_refuse_bad_thresholds(self):
        settings = Form(self.env["res.config.settings"])
        settings.logistics_tier_a_threshold = 90
        settings.logistics_tier_b_threshold = 20
        with self.assertRaises(ValidationError):
            settings.save().execute()

    def test_method_change_proposes_fitting_thresholds(self):
        self.assertEqual((self.policy.a_threshold, self.policy.b_threshold), (5, 15))
        with Form(self.policy) as form:
            self.assertIn(
                "Of 1,000 customers, 50 are A and 150 are B", form.threshold_hint
            )
            form.method = "value_share"
            # 5 % of the value would be one or two customers: 80 / 15 instead
            self.assertEqual((form.a_threshold, form.b_threshold), (80, 15))
            self.assertIn("80/20", form.threshold_hint)
            form.method = "customer_share"
            self.assertEqual((form.a_threshold, form.b_threshold), (5, 15))
        # thresholds a manager chose stay, the hint tells what they now mean
        self.policy.a_threshold = 10
        with Form(self.policy) as form:
            form.method = "value_share"
            self.assertEqual((form.a_threshold, form.b_threshold), (10, 15))
            self.assertIn("first 10% of the value", form.threshold_hint)
