from odoo import fields, models

from ..compat import Constraint


class LogisticsServiceType(models.Model):
    _name = "logistics.service.type"
    _description = "Logistics Service Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in imports and reports, e.g. FTL.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share this service type between all companies.",
    )

    _code_company_uniq = Constraint(
        "unique(code, company_id)",
        "A service type code must be unique per company.",
    )
