import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestChurnExport(LogisticsTierCase):
    """Churn rates per period, per tier and per manager at the period's start."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Account = cls.env["logistics.customer.tier"]
        cls.key, cls.partner_b, cls.general, cls.other = cls._customers(
            4, prefix="Churn Export", customer_rank=1
        )
        price = cls.env.ref("logistics_crm.logistics_churn_reason_price")
        for customer, tier in (
            (cls.key, "A"),
            (cls.partner_b, "B"),
            (cls.general, "C"),
            (cls.other, "C"),
        ):
            cls._invoice(customer, 1000.0, "2026-03-01")
            cls.env["logistics.tier.history"].sudo().create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "date": datetime(2026, 6, 1),
                    "new_tier": tier,
                    "source": "cron",
                }
            )
        accounts = cls.Account._account_rows(
            cls.key | cls.general, cls.company, create=True
        )
        # the key account's manager at the start (July), replaced in September
        Assignment = cls.env["logistics.account.assignment"].sudo()
        for day, from_user, to_user in (
            (datetime(2026, 5, 1), False, cls.manager),
            (datetime(2026, 9, 15), cls.manager, cls.rep),
        ):
            Assignment.create(
                {
                    "account_id": accounts[cls.key.id].id,
                    "partner_id": cls.key.id,
                    "role": "key_account_manager_id",
                    "from_user_id": from_user and from_user.id,
                    "to_user_id": to_user.id,
                    "date": day,
                }
            )
        accounts[cls.key.id]._mark_lost(price, date(2026, 8, 10))
        accounts[cls.general.id]._mark_lost(price, date(2026, 10, 20))

    def _export(self, **vals):
        wizard = (
            self.env["logistics.churn.export.wizard"]
            .with_user(self.manager)
            .create(
                {"date_from": date(2026, 7, 1), "date_to": date(2026, 11, 15), **vals}
            )
        )
        wizard.action_export()
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))

    @staticmethod
    def _rows(sheet, first_row):
        return [
            tuple(cell.value for cell in row)
            for row in sheet.iter_rows(min_row=first_row)
        ]

    def test_rates_per_period_tier_and_manager(self):
        book = self._export()
        per_period, per_tier, per_manager, lost = book.worksheets
        self.assertEqual(
            self._rows(per_period, 4),
            [
                ("2026-07-01 – 2026-09-30", 4, 1, 0.25),
                ("2026-10-01 – 2026-11-15", 3, 1, 1 / 3),
            ],
        )
        grades = dict(self.policy._grade_list())
        self.assertEqual(
            sorted(self._rows(per_tier, 4)),
            sorted(
                [
                    (grades["A"], 1, 1, 1.0),
                    (grades["B"], 1, 0, 0.0),
                    (grades["C"], 2, 1, 0.5),
                ]
            ),
        )
        managers = dict((row[0], row[1:]) for row in self._rows(per_manager, 4))
        # the manager at the start, not the rep who holds the account today
        self.assertEqual(managers[self.manager.name], (1, 1, 1.0))
        self.assertNotIn(self.rep.name, managers)
        self.assertEqual(
            [row[0] for row in self._rows(lost, 2)], [self.key.name, self.general.name]
        )

    def test_lapsed_customers_are_churn(self):
        lapsed = self._customers(1, prefix="Churn Export Lapsed")
        self._invoice(lapsed, 500.0, "2025-09-05")  # lapses on 2026-09-05
        self.Account._account_rows(lapsed, self.company, create=True)
        self.policy._update_lifecycle([lapsed.id], date(2026, 11, 15))
        book = self._export()
        per_period, _per_tier, _per_manager, lost = book.worksheets
        self.assertEqual(
            self._rows(per_period, 4)[0], ("2026-07-01 – 2026-09-30", 5, 2, 0.4)
        )
        # the sheet says what it counts
        self.assertIn("lapsed", per_period.cell(row=2, column=1).value)
        rows = {row[0]: row for row in self._rows(lost, 2)}
        self.assertEqual(rows[lapsed.name][1], "2026-09-05")
        self.assertEqual(rows[lapsed.name][4], "Lapsed (no reason recorded)")
        self.assertEqual(rows[lapsed.name][7], "2026-09-05")

    def test_only_managers_of_the_company_and_a_valid_range(self):
        with self.assertRaises(AccessError):
            self.env["logistics.churn.export.wizard"].with_user(self.rep).create({})
        with self.assertRaises(UserError):
            self._export(date_from=date(2026, 12, 1))
        other = self.env["res.company"].create({"name": "Churn Export Other Co"})
        with self.assertRaises(AccessError):
            self._export(company_id=other.id)
