from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 08:00:00")
class TestVisitLocalTime(LogisticsTierCase):
    """Visits are planned at the policy's local hour of their owner's time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["logistics.visit"]
        cls.kam = cls._logistics_user("lcrm_kam_shanghai")
        cls.sponsor = cls._logistics_user("lcrm_sponsor_no_tz")
        cls.kam.tz = "Asia/Shanghai"
        cls.sponsor.tz = False
        cls.customer = cls._customers(1, prefix="Local")[0]
        cls.env["logistics.customer.tier"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "computed_tier": "A",
                "key_account_manager_id": cls.kam.id,
                "executive_sponsor_id": cls.sponsor.id,
            }
        )

    def _planned(self, cadence):
        return self.Visit.search(
            [
                ("partner_id", "=", self.customer.id),
                ("state", "=", "planned"),
                ("cadence", "=", cadence),
            ]
        )

    def test_nine_in_shanghai_is_one_utc(self):
        self.company.partner_id.tz = "Europe/Berlin"
        self.Visit._schedule_visits(policy=self.policy)
        regular = self._planned("regular")
        self.assertEqual(regular.due_date, date(2026, 11, 20))
        self.assertEqual(regular.date, datetime(2026, 11, 20, 1, 0))
        # an owner without a time zone: the company's (Berlin, UTC+1 in November)
        self.assertEqual(self._planned("executive").date, datetime(2026, 11, 20, 8, 0))

    def test_configured_hour_and_calendar_zone_fallback(self):
        # no zone on the company's contact: its working hours' zone
        self.company.partner_id.tz = False
        self.company.resource_calendar_id.tz = "UTC"
        self.policy.visit_planned_hour = 14.5
        self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(self._planned("regular").date, datetime(2026, 11, 20, 6, 30))
        self.assertEqual(
            self._planned("executive").date, datetime(2026, 11, 20, 14, 30)
        )

    def test_replanned_visit_keeps_the_local_hour(self):
        self.Visit._schedule_visits(policy=self.policy)
        self._planned("regular").action_done()
        # the next visit of the cadence: 30 days later, 09:00 in Shanghai
        self.assertEqual(self._planned("regular").date, datetime(2026, 12, 20, 1, 0))
        self.policy._service_level("A").write({"visit_interval_days": 10})
        self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(self._planned("regular").date, datetime(2026, 11, 30, 1, 0))

    def test_visit_time_is_validated(self):
        with self.assertRaises(ValidationError):
            self.policy.visit_planned_hour = 24
