import base64
import io
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter

from odoo import api, fields, models

# one look for every workbook the addon writes
XLSX_FORMATS = {
    "title": {"bold": True, "font_size": 14},
    "header": {"bold": True, "bg_color": "#D9E1F2", "border": 1},
    "bold": {"bold": True},
    "money": {"num_format": "#,##0.00"},
    "money_bold": {"num_format": "#,##0.00", "bold": True},
    "decimal": {"num_format": "0.00"},
    "percent": {"num_format": "0.0%"},
    "percent_bold": {"num_format": "0.0%", "bold": True},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
}


class LogisticsXlsxExportMixin(models.AbstractModel):
    """A wizard that builds an XLSX file and hands it to the browser."""

    _name = "logistics.xlsx.export.mixin"
    _description = "XLSX Export Wizard"

    file_data = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _xlsx_workbook(self):
        """(workbook, buffer, {name: format}) of a new in-memory workbook."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        formats = {
            name: workbook.add_format(spec) for name, spec in XLSX_FORMATS.items()
        }
        return workbook, buffer, formats

    def _xlsx_sheet(
        self, workbook, formats, name, columns, title=None, header_row=None, widths=()
    ):
        """A worksheet with an optional title on its first row and the column
        headers on `header_row` (default: the first row, or the third below a
        title).

        :param widths: [(first column, last column, width)]
        :return: (sheet, first data row)
        """
        sheet = workbook.add_worksheet(name)
        if header_row is None:
            header_row = 2 if title else 0
        if title:
            sheet.write(0, 0, title, formats["title"])
        for col, label in enumerate(columns):
            sheet.write(header_row, col, label, formats["header"])
        for first, last, width in widths:
            sheet.set_column(first, last, width)
        return sheet, header_row + 1

    def _xlsx_build(self):
        """(content, file name) of the wizard's workbook. It only reads: the
        download route runs it on a read-only cursor (a replica when there is
        one)."""
        raise NotImplementedError

    def _xlsx_finish(self, workbook, buffer, file_name):
        workbook.close()
        return buffer.getvalue(), file_name

    @api.readonly
    def action_download(self):
        """The export button: the workbook is built by the download route, on a
        read-only cursor, and streamed; nothing is stored."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/logistics_crm/xlsx/{self._name}/{self.id}",
            "target": "self",
        }

    def action_export(self):
        """Builds the workbook and keeps it on the wizard (``file_data``), for
        callers that want the file itself (scripts, tests)."""
        self.ensure_one()
        content, file_name = self._xlsx_build()
        return self._xlsx_download(content, file_name)

    def _xlsx_download(self, content, file_name):
        self.ensure_one()
        self.write({"file_data": base64.b64encode(content), "file_name": file_name})
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/?model={self._name}&id={self.id}"
                f"&field=file_data&filename_field=file_name&download=true"
            ),
            "target": "self",
        }

    # Times in exports are the exporting user's local times: periods are cut at
    # local midnight, datetimes written as local wall-clock times.
    def _export_tz(self):
        return pytz.timezone(self.env.user.tz or "UTC")

    def _local_period_bounds(self, date_from, date_to):
        """Naive UTC datetimes [start, end) of the local days date_from..date_to."""
        tz = self._export_tz()
        bounds = []
        for day in (date_from, date_to + timedelta(days=1)):
            local = tz.localize(datetime.combine(day, time.min))
            bounds.append(local.astimezone(pytz.utc).replace(tzinfo=None))
        return tuple(bounds)

    def _local_datetime(self, value):
        """A stored (naive UTC) datetime as the user's naive local datetime."""
        if not value:
            return value
        return (
            pytz.utc.localize(value).astimezone(self._export_tz()).replace(tzinfo=None)
        )
