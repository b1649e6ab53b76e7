import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTierCase, set_shares


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestAbcExport(LogisticsTierCase):
    def test_xlsx_lists_customers_with_shares_and_totals(self):
        customers = self._customers(4, prefix="Export")
        for i, customer in enumerate(customers):
            self._invoice(customer, 100.0 * (i + 1), "2026-10-01")
        customers[3].key_account_manager_id = self.manager
        set_shares(self.policy, 25, 25)
        self.policy._recompute_tiers()
        wizard = (
            self.env["logistics.abc.export.wizard"]
            .with_user(self.manager)
            .create({"company_id": self.company.id})
        )
        action = wizard.action_export()
        self.assertIn("/web/content/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        sheet = book.active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[3][0], "Customer")
        self.assertEqual(rows[4][0], "Export 003")
        self.assertAlmostEqual(rows[4][1], 400.0)
        self.assertAlmostEqual(rows[4][2], 0.4)
        self.assertAlmostEqual(rows[5][3], 0.7, msg="cumulative share")
        self.assertEqual(rows[4][4], 1)
        self.assertEqual(rows[4][5], "A – Key Customer")
        self.assertEqual(rows[4][8], self.manager.name)
        totals = {row[0]: row for row in rows[9:] if row and row[0]}
        self.assertEqual(totals["A – Key Customer"][1], 1)
        self.assertEqual(totals["C – General Customer"][1], 2)
        self.assertAlmostEqual(totals["Total"][2], 1000.0)
        # a rep's export lists the accounts they own, never another's figures
        customers[1].key_account_manager_id = self.rep
        wizard = (
            self.env["logistics.abc.export.wizard"]
            .with_user(self.rep)
            .create({"company_id": self.company.id})
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        names = [row[0] for row in book.active.iter_rows(min_row=5, values_only=True)]
        self.assertIn("Export 001", names)
        self.assertNotIn("Export 003", names)
