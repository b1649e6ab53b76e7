from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_target_year = fields.Integer(
        string="Target Account of Year",
        help="The year this company is on the list of accounts the firm most wants "
        "to win.",
        groups="sales_team.group_sale_salesman",
    )
