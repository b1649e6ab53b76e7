from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTierCase, set_shares

TODAY = date(2026, 11, 15)
NOT_SCORED = ("trend", "service", "satisfaction", "payment", "survey")


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestHealthNoData(LogisticsTierCase):
    """ "No data yet" is shown as such: a customer nothing is known of is neither
    healthy nor at risk and has no score; the overview's figures before the
    first nightly run, and an NPS or churn rate without answers or customers,
    are no data, not 0."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key, cls.second, cls.third = cls._customers(
            3, prefix="NoData Paying", customer_rank=1
        )
        for amount, partner in ((9000.0, cls.key), (800.0, cls.second)):
            cls._invoice(partner, amount, "2026-10-01", invoice_date_due="2026-12-01")
        cls._invoice(cls.third, 100.0, "2026-10-01", invoice_date_due="2026-12-01")
        # customers without a single invoice, shipment, ticket or survey
        cls.silent = cls._customers(3, prefix="NoData Silent", customer_rank=1)
        set_shares(cls.policy, 20)  # one A customer of the six
        cls.policy._recompute_tiers()
        cls.Account = cls.env["logistics.customer.tier"]
        cls.Account._update_payment_behaviour(cls.policy, TODAY)
        cls.last_grade = cls.policy._grade_list()[-1][0]

    def _stored_scores(self, partner):
        """health_score and the signals as stored (a Float reads NULL as 0.0)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT health_score, health_payment_score, health_trend_score
              FROM logistics_customer_tier
             WHERE partner_id = %s AND company_id = %s
            """,
            (partner.id, self.company.id),
        )
        return self.env.cr.fetchone()

    def test_before_the_first_nightly_run_nothing_is_computed(self):
        policy = self.policy.with_user(self.manager)
        self.assertFalse(policy.dashboard_health_date, "health not computed yet")
        self.assertEqual(policy.dashboard_health_no_data, 0)
        self.assertTrue(
            all(
                grade["healthy"] == grade["watch"] == grade["at_risk"] == 0
                for grade in policy.dashboard_health_grades
            )
        )
        key = self.key.with_user(self.manager).with_company(self.company)
        self.assertEqual(key.tier, self.policy._grade_list()[0][0])
        self.assertFalse(key.health_status, "an A customer without a health")
        self.assertIsNone(self._stored_scores(self.key)[0], "no score, not 0")
        # the overview says so instead of showing zeros
        arch = policy.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn("o_logistics_crm_dashboard_health_not_computed", arch)
        self.assertIn("record.dashboard_health_date.raw_value", arch)

    def test_customer_without_data_is_neither_healthy_nor_at_risk(self):
        self.Account._update_health(self.policy, TODAY)
        silent = self.silent[0].with_user(self.manager).with_company(self.company)
        self.assertEqual(silent.tier, self.last_grade, "zero revenue: the last grade")
        self.assertEqual(silent.health_status, "no_data")
        self.assertEqual(self._stored_scores(self.silent[0]), (None, None, None))
        # each signal nothing is known of says so; none overdue is known
        missing = silent.health_signals_without_data.split(",")
        self.assertEqual(set(missing), set(NOT_SCORED))
        self.assertNotIn("visits", missing)
        # a contact of the customer shows its company's
        contact = self.env["res.partner"].create(
            {"name": "NoData Contact", "parent_id": self.silent[0].id}
        )
        contact = contact.with_user(self.manager).with_company(self.company)
        self.assertEqual(
            contact.health_signals_without_data, silent.health_signals_without_data
        )
        # the paying customers are scored
        key = self.key.with_user(self.manager).with_company(self.company)
        self.assertEqual(key.health_status, "healthy")
        self.assertEqual(key.health_score, 100.0)
        self.assertIn("payment", key.health_signals_without_data or "")
        # the overview counts them apart and opens them
        policy = self.policy.with_user(self.manager)
        self.assertEqual(policy.dashboard_health_date, TODAY)
        self.assertEqual(policy.dashboard_health_no_data, 3)
        self.assertEqual(policy.dashboard_health_at_risk, 0)
        self.assertEqual(policy.dashboard_health_watch, 0)
        grades = {grade["code"]: grade for grade in policy.dashboard_health_grades}
        self.assertEqual(grades[self.last_grade]["no_data"], 3)
        payers_last = self.Account.search_count(
            [
                ("company_id", "=", self.company.id),
                ("tier", "=", self.last_grade),
                ("partner_id", "not in", self.silent.ids),
            ]
        )
        self.assertEqual(grades[self.last_grade]["healthy"], payers_last)
        self.assertEqual(
            sum(grade["healthy"] for grade in grades.values()), 3, "the payers"
        )
        action = policy.with_context(
            dashboard="health", health="no_data"
        ).action_open_dashboard()
        self.assertEqual(self.Account.search(action["domain"]).partner_id, self.silent)
        Partner = self.env["res.partner"].with_company(self.company)
        healthy = Partner.search([("health_status", "=", "healthy")])
        self.assertFalse(healthy & self.silent)
        at_risk = Partner.search([("health_status", "in", ("watch", "at_risk"))])
        self.assertFalse(at_risk & self.silent)
        # nothing known: no alert either
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.silent.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("logistics_crm.mail_activity_type_health_risk").id,
                    ),
                ]
            )
        )

    def test_after_invoices_and_a_recompute_the_figures_are_numbers(self):
        self.Account._update_health(self.policy, TODAY)
        silent = self.silent[0]
        # an invoice two months late: data, and bad news
        self._invoice(silent, 500.0, "2026-09-01", invoice_date_due="2026-09-15")
        self.policy._recompute_tiers()
        self.Account._update_payment_behaviour(self.policy, TODAY)
        self.Account._update_health(self.policy, TODAY)
        partner = silent.with_user(self.manager).with_company(self.company)
        self.assertIn(partner.health_status, ("healthy", "watch", "at_risk"))
        score, payment, _trend = self._stored_scores(silent)
        self.assertIsNotNone(score)
        self.assertEqual(payment, 80.0, "one invoice overdue")
        self.assertNotIn("payment", partner.health_signals_without_data or "")
        self.assertEqual(self.policy.dashboard_health_no_data, 2)
        history = self.env["logistics.account.health"].search(
            [("partner_id", "=", silent.id)], order="id"
        )
        self.assertEqual(history.mapped("status")[0], "no_data")
        self.assertEqual(history[-1].status, partner.health_status)

    def test_nps_without_answers_is_no_data(self):
        policy = self.policy.with_user(self.manager)
        self.assertTrue(policy.survey_id, "a survey is linked")
        self.assertEqual(policy._nps_between(date(2026, 10, 1)), (None, 0))
        self.assertEqual(policy.dashboard_nps_answers, 0)
        self.assertEqual(policy.dashboard_nps_previous_answers, 0)
        arch = policy.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn("record.dashboard_nps_answers.raw_value", arch)
        # one answer makes it a number, also a 0
        self.env["logistics.relationship.survey"].sudo().create(
            {
                "account_id": self._tier_row(self.key).id,
                "partner_id": self.key.id,
                "company_id": self.company.id,
                "sent_date": date(2026, 11, 2),
                "answered_date": date(2026, 11, 2),
                "state": "answered",
                "nps_category": "passive",
                "nps_value": 0.0,
            }
        )
        self.assertEqual(policy._nps_between(date(2026, 10, 1)), (0.0, 1))
        policy.invalidate_recordset()
        self.assertEqual(policy.dashboard_nps_answers, 1)

    def test_churn_rate_without_customers_at_the_start_is_no_data(self):
        policy = self.policy.with_user(self.manager)
        # the customers' first business is in October: none active on 1 July
        self.assertIsNone(policy._churn_rate(date(2026, 7, 1), date(2026, 9, 30)))
        self.assertFalse(policy.dashboard_churn_previous_known)
        self.assertEqual(policy.dashboard_churn_rate_previous, 0.0)
