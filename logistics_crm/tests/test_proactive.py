from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import format_date

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
class TestProactiveActivities(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customers(1, prefix="Rhythm")[0]
        cls.customer.key_account_manager_id = cls.manager
        for day in (
            "2026-09-01",
            "2026-09-15",
            "2026-09-29",
            "2026-10-13",
            "2026-10-27",
        ):
            cls._invoice(cls.customer, 500.0, day)

    def _activities(self, xmlid, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.customer).id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def _run(self):
        Partner = self.env["res.partner"]
        Partner._update_order_rhythm(self.policy, date.today())
        Partner._plan_proactive_contacts(self.policy, date.today())
        Partner._plan_reengagements(self.policy, date.today())
        Partner._plan_birthday_greetings(self.policy, date.today())

    @freeze_time("2026-11-08")
    def test_order_rhythm_estimate_and_one_activity_per_expected_order(self):
        self._run()
        self.assertEqual(self.customer.estimated_order_interval_days, 14)
        self.assertEqual(self.customer.last_order_date, date(2026, 10, 27))
        self.assertEqual(self.customer.expected_next_order_date, date(2026, 11, 10))
        activity = self._activities("logistics_crm.mail_activity_type_proactive")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self._run()
        self.assertEqual(
            len(self._activities("logistics_crm.mail_activity_type_proactive")), 1
        )

    @freeze_time("2026-11-08")
    def test_no_call_for_an_expected_order_already_past(self):
        # expected on 2026-11-10 (every 14 days): two days late on the 12th
        with freeze_time("2026-11-12"):
            self._run()
        self.assertEqual(self.customer.expected_next_order_date, date(2026, 11, 10))
        self.assertFalse(self._activities("logistics_crm.mail_activity_type_proactive"))
        # the day itself is still ahead of the customer running out
        with freeze_time("2026-11-10"):
            self._run()
        self.assertEqual(
            len(self._activities("logistics_crm.mail_activity_type_proactive")), 1
        )

    @freeze_time("2026-11-08")
    def test_hand_set_interval_wins(self):
        self.customer.order_interval_days = 30
        self._run()
        self.assertEqual(self.customer.expected_next_order_date, date(2026, 11, 26))
        self.assertFalse(self._activities("logistics_crm.mail_activity_type_proactive"))

    @freeze_time("2026-11-08")
    def test_new_expected_order_gets_its_own_activity(self):
        self._run()
        self._invoice(self.customer, 500.0, "2026-11-07")
        with freeze_time("2026-11-19"):
            self._run()
        self.assertEqual(
            len(self._activities("logistics_crm.mail_activity_type_proactive")), 2
        )

    @freeze_time("2027-12-01")
    def test_lapsed_customer_gets_one_reengage_activity(self):
        self._run()
        activity = self._activities("logistics_crm.mail_activity_type_reengage")
        self.assertEqual(len(activity), 1)
        # the date as the activity's user reads it
        user_env = self.env(context={"lang": activity.user_id.lang})
        self.assertIn(format_date(user_env, date(2026, 10, 27)), activity.summary)
        self._run()
        self.assertEqual(
            len(self._activities("logistics_crm.mail_activity_type_reengage")), 1
        )

    @freeze_time("2026-11-08")
    def test_birthday_greeting_once(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Birthday Person",
                "parent_id": self.customer.id,
                "birthday": "1980-11-10",
            }
        )
        self._run()
        activity = self._activities(
            "logistics_crm.mail_activity_type_birthday", contact
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager, "the account's manager")
        self._run()
        self.assertEqual(
            len(self._activities("logistics_crm.mail_activity_type_birthday", contact)),
            1,
        )


@tagged("post_install", "-at_install")
class TestHandSetOrderDates(LogisticsTierCase):
    """A rep's expected next order date (12-10) stands against the computed one
    (11-08, from the invoices) until an order comes on or after it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customers(1, prefix="Hand-Set")[0]
        cls.customer.key_account_manager_id = cls.rep
        for day in ("2026-09-13", "2026-09-27", "2026-10-11", "2026-10-25"):
            cls._invoice(cls.customer, 500.0, day)
        cls.cron = cls.env.ref("logistics_crm.ir_cron_proactive_activities")

    def _proactive(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_proactive").id,
                ),
            ]
        )

    def _nightly(self):
        self.policy._cron_plan_company_activities(date.today())
        self.customer.invalidate_recordset()

    def test_hand_set_expected_date_survives_the_nightly_planner(self):
        with freeze_time("2026-11-01"):
            self._nightly()
            self.assertEqual(self.customer.expected_next_order_date, date(2026, 11, 8))
            self.customer.with_user(self.rep).expected_next_order_date = "2026-12-10"
            self.assertEqual(
                self.customer.expected_next_order_manual_date, date(2026, 12, 10)
            )
        with freeze_time("2026-11-07"):
            self._nightly()
            # no call for the computed 11-08: the rep expects 12-10
            self.assertFalse(self._proactive())
        with freeze_time("2026-12-08"):
            self._nightly()
            self.assertEqual(self.customer.expected_next_order_date, date(2026, 12, 10))
            activity = self._proactive()
            self.assertEqual(len(activity), 1)
            self.assertLessEqual(activity.date_deadline, date(2026, 12, 10))
            self.assertIn(format_date(self.env, date(2026, 12, 10)), activity.summary)
        # an order on or after it: the rhythm takes over
        self._invoice(self.customer, 500.0, "2026-12-12")
        with freeze_time("2026-12-13"):
            self._nightly()
            self.assertEqual(self.customer.last_order_date, date(2026, 12, 12))
            self.assertEqual(self.customer.expected_next_order_date, date(2026, 12, 26))

    def test_clearing_it_goes_back_to_the_computed_date(self):
        with freeze_time("2026-11-01"):
            self._nightly()
            self.customer.expected_next_order_date = "2026-12-10"
            self.customer.expected_next_order_date = False
            self.assertFalse(self.customer.expected_next_order_manual_date)
            self.assertEqual(self.customer.expected_next_order_date, date(2026, 11, 8))

    def test_hand_set_last_order_date_is_never_lowered(self):
        with freeze_time("2026-11-20"):
            self.customer.last_order_date = "2026-11-15"
            self._nightly()
            self.assertEqual(self.customer.last_order_date, date(2026, 11, 15))
            # the invoices' 14-day rhythm from the later, hand-set order
            self.assertEqual(self.customer.expected_next_order_date, date(2026, 11, 29))


@tagged("post_install", "-at_install")
@freeze_time("2026-11-08")
class TestPlannerPerTier(LogisticsTierCase):
    """Proactive work where the course asks for it, and never a flood per user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["logistics.customer.tier"]
        cls.customers = cls._customers(5, prefix="Due")
        # every customer orders every two weeks: the next order is due on 11-10
        for customer, tier in zip(cls.customers, "CABAB", strict=True):
            Account.create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "computed_tier": tier,
                    "key_account_manager_id": cls.manager.id,
                }
            )
            for day in ("2026-09-29", "2026-10-13", "2026-10-27"):
                cls._invoice(customer, 500.0, day)
        cls.c_customer = cls.customers[0]

    def _proactive(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_proactive").id,
                ),
            ]
        )

    def _digest(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "logistics.tier.policy"),
                ("res_id", "=", self.policy.id),
                ("user_id", "=", self.manager.id),
            ]
        )

    def _plan(self):
        self.policy._cron_plan_company_activities(date.today())

    def test_seeded_switches_spare_general_customers(self):
        switches = {
            grade.code: grade.proactive_activities for grade in self.policy.grade_ids
        }
        self.assertEqual(switches, {"A": True, "B": True, "C": False})
        self._plan()
        self.assertFalse(self._proactive(self.c_customer), "C: basic service")
        self.assertEqual(len(self._proactive(self.customers[1:])), 4)
        self.assertFalse(self._digest())
        # switched on for C, the C customer is called too
        self.policy._service_level("C").write({"proactive_activities": True})
        self.env["logistics.customer.tier"].search(
            [("partner_id", "=", self.c_customer.id)]
        ).proactive_activity_date = False
        self._plan()
        self.assertEqual(len(self._proactive(self.c_customer)), 1)

    def test_daily_limit_keeps_key_customers_and_digests_the_rest(self):
        self.policy.planner_activities_per_user = 2
        self._plan()
        individual = self._proactive(self.customers)
        self.assertEqual(len(individual), 2)
        self.assertEqual(
            set(individual.mapped("res_id")),
            {self.customers[1].id, self.customers[3].id},
            "the A customers first",
        )
        digest = self._digest()
        self.assertEqual(len(digest), 1)
        self.assertIn("2 more customers", digest.summary)
        for customer in (self.customers[2], self.customers[4]):
            self.assertIn(customer.name, digest.note)
        # the digest customers are planned: a second run adds nothing
        self._plan()
        self.assertEqual(len(self._proactive(self.customers)), 2)
        self.assertEqual(len(self._digest()), 1)
        self.assertIn("2 more customers", self._digest().summary)

    def test_no_limit(self):
        self.policy.planner_activities_per_user = 0
        self._plan()
        self.assertEqual(len(self._proactive(self.customers[1:])), 4)
        self.assertFalse(self._digest())
