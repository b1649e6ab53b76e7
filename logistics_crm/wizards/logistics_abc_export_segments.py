from odoo import models

SEGMENT_COLUMNS = (
    "region",
    "commodity_categories",
    "annual_tonnes",
    "volume_band",
    "order_frequency",
)


class LogisticsAbcExportWizard(models.TransientModel):
    """The customers' segments as extra columns of the ABC analysis."""

    _inherit = "logistics.abc.export.wizard"

    def _analysis_rows(self):
        rows = super()._analysis_rows()
        Account = self.env["logistics.customer.tier"]
        # one browse: the ORM reads the fields for all rows in a few batches
        accounts = Account.browse([row["id"] for row in rows])
        bands = dict(Account._fields["volume_band"]._description_selection(self.env))
        frequencies = dict(
            Account._fields["order_frequency"]._description_selection(self.env)
        )
        for row, account in zip(rows, accounts, strict=True):
            row.update(
                region=account.region or "",
                commodity_categories=", ".join(
                    account.commodity_category_ids.mapped("name")
                ),
                annual_tonnes=account.annual_tonnes,
                volume_band=bands.get(account.volume_band, ""),
                order_frequency=frequencies.get(account.order_frequency, ""),
            )
        return rows

    def _write_extra_columns(self, sheet, formats, rows, header_row, first_col):
        first_col = super()._write_extra_columns(
            sheet, formats, rows, header_row, first_col
        )
        headers = [
            self.env._("Region"),
            self.env._("Commodity Categories"),
            self.env._("Annual Tonnes"),
            self.env._("Volume Band"),
            self.env._("Order Frequency"),
        ]
        for offset, label in enumerate(headers):
            sheet.write(header_row, first_col + offset, label, formats["header"])
        sheet.set_column(first_col, first_col + len(headers) - 1, 20)
        for line, row in enumerate(rows, start=header_row + 1):
            for offset, key in enumerate(SEGMENT_COLUMNS):
                if key == "annual_tonnes":
                    sheet.write_number(
                        line, first_col + offset, row[key], formats["decimal"]
                    )
                else:
                    sheet.write(line, first_col + offset, row[key])
        return first_col + len(headers)
