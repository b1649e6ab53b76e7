from odoo import models

from ..compat import manual_cron_run


class IrCron(models.Model):
    """A job run by hand does every company, not only those whose night has come:
    the job tells the scheduler's calls from Run Manually's (compat.is_scheduled_call).
    """

    _inherit = "ir.cron"

    def method_direct_trigger(self):
        with manual_cron_run(self):
            return super().method_direct_trigger()
