from odoo import _, fields, models


class LogisticsAbcExportWizard(models.TransientModel):
    _name = "logistics.abc.export.wizard"
    _description = "ABC Analysis Export"
    _inherit = ["logistics.xlsx.export.mixin"]

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def _analysis_rows(self):
        """Customers of the company by value, with share, cumulative share and rank."""
        self.ensure_one()
        rows = self.env["logistics.customer.tier"].search_read(
            [("company_id", "=", self.company_id.id), ("tier", "!=", False)],
            [
                "partner_id",
                "value",
                "computed_tier",
                "forced_tier",
                "previous_tier",
                "tier",
                "key_account_manager_id",
            ],
            order="value desc, id",
        )
        total = sum(max(row["value"], 0.0) for row in rows)
        cumulative = 0.0
        rank = 0
        previous_value = None
        for position, row in enumerate(rows, start=1):
            if row["value"] != previous_value:
                rank, previous_value = position, row["value"]
            share = max(row["value"], 0.0) * 100.0 / total if total else 0.0
            cumulative += share
            row.update(rank=rank, share=share, cumulative_share=cumulative)
        return rows

    def _xlsx_build(self):
        self.ensure_one()
        rows = self._analysis_rows()
        grades = (
            self.env["logistics.tier.policy"]
            ._get_company_policy(self.company_id)
            ._grade_list()
        )
        labels = dict(grades)
        workbook, buffer, formats = self._xlsx_workbook()
        bold, money, percent = formats["bold"], formats["money"], formats["percent"]
        money_bold, percent_bold = formats["money_bold"], formats["percent_bold"]
        sheet, line = self._xlsx_sheet(
            workbook,
            formats,
            _("ABC Analysis"),
            [
                _("Customer"),
                _("Value"),
                _("Share"),
                _("Cumulative Share"),
                _("Rank"),
                _("Computed Tier"),
                _("Forced Tier"),
                _("Previous Tier"),
                _("Key-Account Manager"),
            ],
            title=_("ABC analysis of %(company)s", company=self.company_id.name),
            header_row=3,
            widths=[(0, 0, 36), (1, 4, 14), (5, 8, 22)],
        )
        sheet.write(
            1, 0, _("Exported on %(date)s", date=fields.Date.context_today(self))
        )
        for row in rows:
            sheet.write(line, 0, row["partner_id"][1])
            sheet.write_number(line, 1, row["value"], money)
            sheet.write_number(line, 2, row["share"] / 100.0, percent)
            sheet.write_number(line, 3, row["cumulative_share"] / 100.0, percent)
            sheet.write_number(line, 4, row["rank"])
            sheet.write(line, 5, labels.get(row["computed_tier"], ""))
            sheet.write(line, 6, labels.get(row["forced_tier"], ""))
            sheet.write(line, 7, labels.get(row["previous_tier"], ""))
            manager = row["key_account_manager_id"]
            sheet.write(line, 8, manager[1] if manager else "")
            line += 1
        self._write_extra_columns(sheet, formats, rows, header_row=3, first_col=9)

        line += 1
        sheet.write(line, 0, _("Totals per tier"), bold)
        line += 1
        for col, name in enumerate(
            [_("Tier"), _("Customers"), _("Value"), _("Share of Value")]
        ):
            sheet.write(line, col, name, formats["header"])
        total_value = sum(max(row["value"], 0.0) for row in rows)
        for tier, _label in grades:
            line += 1
            tier_rows = [row for row in rows if row["tier"] == tier]
            tier_value = sum(row["value"] for row in tier_rows)
            sheet.write(line, 0, labels[tier], bold)
            sheet.write_number(line, 1, len(tier_rows))
            sheet.write_number(line, 2, tier_value, money_bold)
            sheet.write_number(
                line, 3, tier_value / total_value if total_value else 0.0, percent_bold
            )
        line += 1
        sheet.write(line, 0, _("Total"), bold)
        sheet.write_number(line, 1, len(rows))
        sheet.write_number(line, 2, total_value, money_bold)
        return self._xlsx_finish(
            workbook, buffer, f"abc_analysis_{self.company_id.id}.xlsx"
        )

    def _write_extra_columns(self, sheet, formats, rows, header_row, first_col):
        """Hook for columns right of the fixed ones: their headers on `header_row`,
        then one cell per row of `rows` on the lines below it, in that order.

        :return: the first column left free (for the next override)
        """
        return first_col
