import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTicketCase


@tagged("post_install", "-at_install")
class TestSlaReport(LogisticsTicketCase):
    def test_xlsx_report_per_team_customer_and_ticket(self):
        with freeze_time(datetime(2026, 3, 9, 9, 0)):
            met = self._ticket(name="Met ticket")
            late = self._ticket(
                name="Late ticket", type_id=self.type_complaint.id, root_cause="carrier"
            )
        with freeze_time(datetime(2026, 3, 9, 10, 0)):
            met.stage_id = self.stage_resolved
        with freeze_time(datetime(2026, 3, 16, 10, 0)):
            late.stage_id = self.stage_resolved
        self.env["logistics.volume"].create(
            {"partner_id": self.customer.id, "date": "2026-03-01", "shipment_count": 50}
        )
        wizard = (
            self.env["logistics.sla.report.wizard"]
            .with_user(self.rep)
            .create({"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)})
        )
        action = wizard.action_export()
        self.assertIn("/web/content/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        teams = list(book.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(teams[2][0], "Team")
        team_row = next(row for row in teams if row[0] == self.team.name)
        self.assertEqual(team_row[1:5], (2, 1, 1, 0.5))
        # the working hours the deadlines counted in, with their zone
        self.assertEqual(teams[2][8], "Working Hours")
        self.assertEqual(team_row[8], "Test 9-17 weekdays (UTC)")
        customers = list(book.worksheets[1].iter_rows(values_only=True))
        customer_row = next(row for row in customers if row[0] == self.customer.name)
        # one complaint for 50 shipments: 2 per 100
        self.assertEqual(customer_row[1:5], (2, 1, 50, 2.0))
        tickets = list(book.worksheets[2].iter_rows(values_only=True))
        self.assertEqual(len(tickets), 3)
        self.assertEqual({row[1] for row in tickets[1:]}, {"Met ticket", "Late ticket"})
        self.assertEqual(
            {row[15] for row in tickets[1:]}, {"Met", "Breached"}, "SLA status"
        )

    def test_periods_and_times_are_the_users_local_ones(self):
        self.rep.tz = "Asia/Shanghai"
        # 23:30 on 31 March in Shanghai is 15:30 UTC: a March ticket
        with freeze_time(datetime(2026, 3, 31, 15, 30)):
            march = self._ticket(name="Late evening in Shanghai")
        # 00:30 on 1 April in Shanghai is still 31 March in UTC: an April ticket
        with freeze_time(datetime(2026, 3, 31, 16, 30)):
            april = self._ticket(name="Just after midnight in Shanghai")
        wizard = (
            self.env["logistics.sla.report.wizard"]
            .with_user(self.rep)
            .create({"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)})
        )
        found = self.env["logistics.ticket"].search(wizard._ticket_domain())
        self.assertIn(march, found)
        self.assertNotIn(april, found)
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        tickets = list(book.worksheets[2].iter_rows(values_only=True))
        opened = {row[1]: row[8] for row in tickets[1:]}
        self.assertEqual(
            opened["Late evening in Shanghai"], datetime(2026, 3, 31, 23, 30)
        )
