from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_renewal_watch_days = fields.Integer(
        string="Renewal Watch (days)",
        default=90,
        help="An opportunity is opened this many days before the current provider's "
        "contract of a target account ends; 0 turns the watch off.",
    )
