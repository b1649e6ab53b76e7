"""Check-in and check-out of a visit: who, when, where, how long, and the
managers' view of it (the compliance export)."""

import base64
import io
from datetime import datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import LogisticsCrmCase

# the customer's warehouse in Pudong, and a point ~111 m north of it
WAREHOUSE = (31.2200000, 121.5400000)
NEARBY = (31.2210000, 121.5400000)


@tagged("post_install", "-at_install")
class TestVisitCheckIn(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.rep, cls.manager):
            user.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.other_rep = new_test_user(
            cls.env,
            login="lcrm_checkin_other",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.customer.write(
            {"partner_latitude": WAREHOUSE[0], "partner_longitude": WAREHOUSE[1]}
        )
        cls.unlocated = cls.env["res.partner"].create(
            {"name": "Never Geolocated Co", "is_company": True}
        )
        cls.Visit = cls.env["logistics.visit"]

    def _visit(self, partner=None, user=None, **vals):
        return self.Visit.create(
            {
                "partner_id": (partner or self.customer).id,
                "user_id": (user or self.rep).id,
                "date": datetime(2026, 11, 20, 1, 0),
                **vals,
            }
        )

    # -- check in / check out ------------------------------------------------

    def test_check_in_records_time_position_and_distance(self):
        visit = self._visit()
        with freeze_time("2026-11-20 01:30:00"):
            visit.with_user(self.rep).action_check_in(*NEARBY, 25.0)
        self.assertEqual(visit.checkin_date, datetime(2026, 11, 20, 1, 30))
        self.assertTrue(visit.checkin_located)
        self.assertAlmostEqual(visit.checkin_latitude, NEARBY[0])
        self.assertAlmostEqual(visit.checkin_longitude, NEARBY[1])
        self.assertEqual(visit.checkin_accuracy, 25.0)
        self.assertTrue(visit.checkin_distance_known)
        self.assertAlmostEqual(visit.checkin_distance, 111.0, delta=1.0)

    def test_check_in_without_position(self):
        """No permission or no geolocation: recorded without a position."""
        visit = self._visit()
        visit.with_user(self.rep).action_check_in()
        self.assertTrue(visit.checkin_date)
        self.assertFalse(visit.checkin_located)
        self.assertFalse(visit.checkin_distance_known)

    def test_no_distance_to_an_address_never_geolocated(self):
        visit = self._visit(partner=self.unlocated)
        visit.with_user(self.rep).action_check_in(*NEARBY, 10.0)
        self.assertTrue(visit.checkin_located)
        self.assertFalse(visit.checkin_distance_known)
        self.assertEqual(visit.checkin_distance, 0.0)

    def test_check_out_records_time_and_duration(self):
        visit = self._visit()
        with freeze_time("2026-11-20 01:30:00"):
            visit.with_user(self.rep).action_check_in()
        with freeze_time("2026-11-20 02:45:00"):
            visit.with_user(self.rep).action_check_out()
        self.assertEqual(visit.checkout_date, datetime(2026, 11, 20, 2, 45))
        self.assertAlmostEqual(visit.checkin_duration, 1.25)
        visit.with_user(self.rep).action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.checkin_duration, 1.25, "done keeps the check-in")

    def test_check_out_only_after_check_in(self):
        visit = self._visit()
        with self.assertRaises(UserError):
            visit.with_user(self.rep).action_check_out()
        self.assertFalse(visit.checkout_date)

    def test_no_second_check_in_or_out(self):
        visit = self._visit()
        visit.with_user(self.rep).action_check_in()
        with self.assertRaises(UserError):
            visit.with_user(self.rep).action_check_in()
        visit.with_user(self.rep).action_check_out()
        with self.assertRaises(UserError):
            visit.with_user(self.rep).action_check_out()

    def test_no_check_in_on_a_done_or_cancelled_visit(self):
        done = self._visit()
        done.action_done()
        cancelled = self._visit()
        cancelled.action_cancel()
        for visit in done | cancelled:
            with self.subTest(state=visit.state), self.assertRaises(UserError):
                visit.with_user(self.manager).action_check_in()
            self.assertFalse(visit.checkin_date)

    def test_only_the_rep_or_a_manager_checks_in(self):
        visit = self._visit()
        # another rep does not even see the visit (record rule) ...
        with self.assertRaises(AccessError):
            visit.with_user(self.other_rep).action_check_in()
        # ... and one who could read it is still refused
        with self.assertRaises(UserError):
            visit.with_user(self.other_rep).sudo()._check_checkin_allowed()
        self.assertFalse(visit.checkin_date)
        visit.with_user(self.manager).action_check_in()
        self.assertTrue(visit.checkin_date)

    def test_position_out_of_range_is_refused(self):
        visit = self._visit()
        for latitude, longitude in ((91.0, 121.0), (31.0, 181.0), (-90.5, 0.0)):
            with self.subTest(latitude=latitude, longitude=longitude):
                with self.assertRaises(ValidationError):
                    visit.with_user(self.rep).action_check_in(latitude, longitude)
                self.assertFalse(visit.checkin_date)
        with self.assertRaises(ValidationError):
            visit.with_user(self.rep).action_check_in(31.0, 121.0, -5.0)
        with self.assertRaises(ValidationError):
            visit.with_user(self.rep).action_check_in("north", "east")

    # -- method-only fields --------------------------------------------------

    def test_check_in_fields_are_written_by_the_actions_only(self):
        visit = self._visit()
        forged = {
            "checkin_date": "2026-11-20 01:00:00",
            "checkin_located": True,
            "checkin_latitude": 31.0,
            "checkin_longitude": 121.0,
            "checkin_accuracy": 5.0,
            "checkin_distance_known": True,
            "checkin_distance": 3.0,
            "checkout_date": "2026-11-20 02:00:00",
            "checkin_duration": 1.0,
        }
        Visit = self.Visit.with_user(self.manager)
        for name, value in forged.items():
            with self.subTest(field=name):
                with self.assertRaises(ValidationError):
                    Visit.browse(visit.id).write({name: value})
                with self.assertRaises(ValidationError):
                    Visit.create(
                        {"partner_id": self.customer.id, "user_id": self.rep.id}
                        | {name: value}
                    )
                column = self.Visit._fields[name]
                cell = (
                    ("1" if value else "0") if column.type == "boolean" else str(value)
                )
                result = Visit.load([".id", name], [[str(visit.id), cell]])
                self.assertFalse(result["ids"])
                self.assertTrue([m for m in result["messages"] if m["type"] == "error"])
        visit.invalidate_recordset()
        self.assertFalse(visit.checkin_date)
        self.assertFalse(visit.checkout_date)

    def test_check_out_before_check_in_is_refused_by_the_model(self):
        visit = self._visit()
        with self.assertRaises(ValidationError):
            visit.with_context(logistics_visit_method=True).write(
                {"checkout_date": "2026-11-20 02:00:00"}
            )
        visit.with_context(logistics_visit_method=True).write(
            {"checkin_date": "2026-11-20 02:00:00"}
        )
        with self.assertRaises(ValidationError):
            visit.with_context(logistics_visit_method=True).write(
                {"checkout_date": "2026-11-20 01:59:00"}
            )

    def test_the_rep_attaches_a_photo(self):
        visit = self._visit()
        pixel = base64.b64encode(
            base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
            )
        )
        visit.with_user(self.rep).write({"checkin_photo": pixel})
        self.assertTrue(visit.checkin_photo)

    # -- what managers see ---------------------------------------------------

    def test_compliance_export_lists_the_check_ins(self):
        visit = self._visit()
        with freeze_time("2026-11-20 01:30:00"):
            visit.with_user(self.rep).action_check_in(*NEARBY, 25.0)
        with freeze_time("2026-11-20 02:15:00"):
            visit.with_user(self.rep).action_check_out()
        unlocated = self._visit(partner=self.unlocated)
        with freeze_time("2026-11-20 05:00:00"):
            unlocated.with_user(self.rep).action_check_in()
        wizard = (
            self.env["logistics.visit.compliance.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "company_id": self.company.id,
                    "date_from": "2026-11-01",
                    "date_to": "2026-11-30",
                }
            )
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(len(book.worksheets), 2)
        sheet = book.worksheets[1]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows[0]), 7, "owner, customer, in, out, hours, m, m")
        self.assertEqual(len(rows), 3)
        first, second = rows[1], rows[2]
        self.assertEqual(first[0], self.rep.name)
        self.assertEqual(first[1], self.customer.display_name)
        # Shanghai wall-clock time, to the minute
        self.assertEqual(first[2], datetime(2026, 11, 20, 9, 30))
        self.assertEqual(first[3], datetime(2026, 11, 20, 10, 15))
        self.assertAlmostEqual(first[4], 0.75)
        self.assertAlmostEqual(first[5], 111.0, delta=1.0)
        self.assertEqual(first[6], 25.0)
        self.assertEqual(second[1], self.unlocated.display_name)
        self.assertEqual(second[2], datetime(2026, 11, 20, 13, 0))
        self.assertEqual(second[3:], (None, None, None, None), "no out, no position")
        number_format = sheet.cell(row=2, column=3).number_format
        self.assertNotIn("ss", number_format, "times without seconds")

    def test_visit_list_shows_check_ins(self):
        arch = self.Visit.get_view(
            self.env.ref("logistics_crm.logistics_visit_view_list").id, "list"
        )["arch"]
        for name in ("checkin_date", "checkin_distance", "checkin_duration"):
            self.assertIn(f'name="{name}"', arch)
