from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_renewal_watch_days = fields.Integer(
        related="company_id.logistics_renewal_watch_days", readonly=False
    )
