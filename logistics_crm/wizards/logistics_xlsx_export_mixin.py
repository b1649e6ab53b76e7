import base64
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models


class LogisticsXlsxExportMixin(models.AbstractModel):
    """A wizard that builds an XLSX file and hands it to the browser."""

    _name = "logistics.xlsx.export.mixin"
    _description = "XLSX Export Wizard"

    file_data = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

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
