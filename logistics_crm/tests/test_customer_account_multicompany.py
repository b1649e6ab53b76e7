from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-08")
class TestCustomerAccountMultiCompany(LogisticsTierCase):
    """Two companies share a customer: each keeps its own account of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()["company"]
        cls.env.user.company_ids |= cls.company_2
        cls.policy_2 = cls.env["logistics.tier.policy"]._get_company_policy(
            cls.company_2
        )
        cls.customer = cls._customers(1, prefix="Shared")[0]
        cls.customer.key_account_manager_id = cls.manager
        # company 1 invoices every two weeks; company 2 once, long ago
        for day in ("2026-09-01", "2026-09-15", "2026-09-29", "2026-10-13"):
            cls._invoice(cls.customer, 500.0, day)
        cls._invoice(cls.customer, 500.0, "2026-10-27")
        cls._invoice(cls.customer, 800.0, "2025-01-10", company=cls.company_2)
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Shared Buyer",
                "parent_id": cls.customer.id,
                "birthday": "1980-11-10",
            }
        )

    def _in(self, company, record=None):
        return (record or self.customer).with_company(company)

    def _activities(self, xmlid, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.customer).id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def _plan(self):
        self.env["res.partner"]._cron_proactive_activities()

    def test_order_rhythm_is_each_companys(self):
        self._plan()
        one, two = self._in(self.company), self._in(self.company_2)
        self.assertEqual(one.last_order_date, date(2026, 10, 27))
        self.assertEqual(one.estimated_order_interval_days, 14)
        self.assertEqual(one.expected_next_order_date, date(2026, 11, 10))
        self.assertEqual(two.last_order_date, date(2025, 1, 10))
        self.assertFalse(two.expected_next_order_date, "one invoice: no rhythm")

    def test_activities_follow_each_companys_invoices(self):
        self._plan()
        # company 1's rhythm asks for a call; company 2's silence for a re-engage
        self.assertEqual(
            len(self._activities("logistics_crm.mail_activity_type_proactive")), 1
        )
        reengage = self._activities("logistics_crm.mail_activity_type_reengage")
        self.assertEqual(len(reengage), 1)
        self.assertIn("2025", reengage.summary)
        self.assertEqual(self._in(self.company_2).reengage_activity_date, date.today())
        self.assertFalse(self._in(self.company).reengage_activity_date)
        self.assertEqual(
            self._in(self.company).proactive_activity_date, date(2026, 11, 10)
        )
        self.assertFalse(self._in(self.company_2).proactive_activity_date)
        # a second run plans nothing new in either company
        self._plan()
        self.assertEqual(
            len(self._activities("logistics_crm.mail_activity_type_reengage")), 1
        )

    def test_each_company_greets_a_shared_contact_once(self):
        companies = self.env["logistics.tier.policy"].sudo().search_count([])
        self._plan()
        greetings = self._activities(
            "logistics_crm.mail_activity_type_birthday", self.contact
        )
        self.assertEqual(len(greetings), companies, "one greeting per company")
        self.assertEqual(
            self._in(self.company, self.contact).birthday_activity_year, 2026
        )
        self.assertEqual(
            self._in(self.company_2, self.contact).birthday_activity_year, 2026
        )
        self._plan()
        self.assertEqual(
            len(
                self._activities(
                    "logistics_crm.mail_activity_type_birthday", self.contact
                )
            ),
            companies,
        )

    def test_lifecycle_is_each_companys(self):
        self.policy._recompute_tiers()
        self.policy_2._recompute_tiers()
        self.assertEqual(self._in(self.company).lifecycle_stage, "new")
        self.assertEqual(self._in(self.company_2).lifecycle_stage, "lapsed")
        self.assertEqual(
            self._in(self.company, self.contact).lifecycle_stage, "new", "contact"
        )
        Partner = self.env["res.partner"]
        lapsed = [("lifecycle_stage", "=", "lapsed"), ("id", "=", self.customer.id)]
        self.assertTrue(Partner.with_company(self.company_2).search(lapsed))
        self.assertFalse(Partner.with_company(self.company).search(lapsed))

    def test_a_rep_edits_the_current_companys_account_only(self):
        self.policy._recompute_tiers()
        self._in(self.company_2).write(
            {"lifecycle_stage": "potential", "last_order_date": "2026-01-05"}
        )
        self.assertEqual(self._in(self.company_2).lifecycle_stage, "potential")
        self.assertEqual(self._in(self.company).lifecycle_stage, "new")
        row = self._tier_row(self.customer, self.company_2)
        self.assertEqual(row.last_order_date, date(2026, 1, 5))
        self.assertFalse(row.tier, "an account without a tier yet")
        # it stays out of the ABC analysis until it is ranked
        action = self.env.ref("logistics_crm.logistics_customer_tier_action")
        analysis = self.env["logistics.customer.tier"].search(safe_eval(action.domain))
        self.assertNotIn(row, analysis)
        self.assertIn(self._tier_row(self.customer), analysis)

    def test_jobs_write_account_rows_not_partner_columns(self):
        partner_write = self.customer.write_date
        self._plan()
        row = self._tier_row(self.customer)
        self.assertTrue(row.write_date)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.write_date, partner_write)
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'res_partner' AND column_name IN "
            "('lifecycle_stage', 'last_order_date', 'proactive_activity_date')"
        )
        self.assertFalse(self.env.cr.fetchall(), "no global per-company column")
