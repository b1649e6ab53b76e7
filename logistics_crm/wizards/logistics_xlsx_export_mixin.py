import base64

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
