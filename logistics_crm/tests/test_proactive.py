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
