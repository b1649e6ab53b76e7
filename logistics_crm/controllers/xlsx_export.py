from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LogisticsXlsxExport(http.Controller):
    # readonly: the analyses only read, so with --db_replica_host they run on the
    # replica; the wizard row itself was saved on the primary before the click
    @http.route(
        "/logistics_crm/xlsx/<string:model>/<int:wizard_id>",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def logistics_xlsx_download(self, model, wizard_id, **kw):
        if model not in request.env.registry:
            raise NotFound()
        Wizard = request.env[model]
        if not isinstance(Wizard, request.env.registry["logistics.xlsx.export.mixin"]):
            raise NotFound()
        # an export's parameters are its creator's: another user, who could read
        # the wizard row, gets nothing (the export also runs with the reader's
        # rights, so it would show no more than that user may see anyway)
        wizard = Wizard.browse(wizard_id).exists()
        if not wizard or wizard.create_uid != request.env.user:
            raise NotFound()
        content, file_name = wizard._xlsx_build()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(file_name)),
            ],
        )
