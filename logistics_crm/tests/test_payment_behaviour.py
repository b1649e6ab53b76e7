from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestPaymentBehaviour(LogisticsTierCase):
    """Payment figures from reconciled and open invoices, and the payday call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customers(1, prefix="Payer", payment_day=15)
        # paid 40 days after the invoice, 10 days late
        cls._pay(
            cls._invoice(
                cls.customer, 1000.0, "2026-09-01", invoice_date_due="2026-10-01"
            ),
            "2026-10-11",
        )
        # paid 20 days after the invoice, on time
        cls._pay(
            cls._invoice(
                cls.customer, 2000.0, "2026-10-01", invoice_date_due="2026-10-31"
            ),
            "2026-10-21",
        )
        cls.overdue = cls._invoice(
            cls.customer, 500.0, "2026-10-15", invoice_date_due="2026-11-01"
        )
        # not due yet: neither overdue nor collected
        cls._invoice(cls.customer, 300.0, "2026-11-10", invoice_date_due="2026-12-10")
        cls.policy._recompute_tiers()
        cls.Account = cls.env["logistics.customer.tier"]
        cls.Account._update_payment_behaviour(cls.policy, date(2026, 11, 15))

    @classmethod
    def _pay(cls, invoice, payment_date):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": payment_date})._create_payments()

    def test_figures_from_reconciled_and_open_invoices(self):
        customer = self.customer.with_company(self.company)
        self.assertAlmostEqual(customer.payment_avg_days, 30.0)
        self.assertAlmostEqual(customer.payment_avg_days_late, 5.0)
        self.assertAlmostEqual(customer.overdue_amount, 500.0)
        self.assertEqual(self._tier_row(self.customer).overdue_invoice_count, 1)
        # paying the overdue invoice clears it at the next refresh
        self._pay(self.overdue, "2026-11-15")
        self.Account._update_payment_behaviour(self.policy, date(2026, 11, 15))
        self.assertEqual(customer.overdue_amount, 0.0)
        self.assertAlmostEqual(customer.payment_avg_days, (40 + 20 + 31) / 3, 1)

    def activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_collection").id,
                ),
            ]
        )

    def test_payday_call_once_a_month_listing_the_due_invoices(self):
        Partner = self.env["res.partner"]
        Partner._plan_collection_calls(self.policy, date(2026, 11, 14))
        self.assertFalse(self.activities(), "not its payday")
        Partner._plan_collection_calls(self.policy, date(2026, 11, 15))
        activity = self.activities()
        self.assertEqual(len(activity), 1)
        self.assertIn("1 due invoices", activity.summary)
        self.assertIn(self.overdue.name, activity.note)
        Partner._plan_collection_calls(self.policy, date(2026, 11, 15))
        self.assertEqual(len(self.activities()), 1, "once per month")

    def test_payday_past_the_months_end_falls_on_its_last_day(self):
        self.customer.payment_day = 31
        Partner = self.env["res.partner"]
        Partner._plan_collection_calls(self.policy, date(2026, 11, 29))
        self.assertFalse(self.activities())
        Partner._plan_collection_calls(self.policy, date(2026, 11, 30))
        self.assertEqual(len(self.activities()), 1)

    def test_credit_rating_is_a_managers_call_per_company(self):
        customer = self.customer.with_company(self.company)
        with self.assertRaises(AccessError):
            customer.with_user(self.rep).credit_rating = "risk"
        customer.with_user(self.manager).credit_rating = "watch"
        self.assertEqual(self._tier_row(self.customer).credit_rating, "watch")
        self.assertEqual(
            self.env["res.partner"]
            .with_company(self.company)
            .search([("credit_rating", "=", "watch")]),
            self.customer,
        )

    def test_figures_are_hidden_from_other_users(self):
        employee = new_test_user(
            self.env,
            login="lcrm_pay_employee",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        for field in ("payment_avg_days", "overdue_amount", "credit_rating"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                self.customer.with_user(employee).read([field])
