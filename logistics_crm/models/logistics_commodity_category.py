from odoo import fields, models

from ..compat import Constraint


class LogisticsCommodityCategory(models.Model):
    """What a customer ships (coal, grain, containers...): one list for every
    company, so that customers shared between companies are segmented alike.

    Global on purpose: no company_id, hence no multi-company record rule.
    """

    _name = "logistics.commodity.category"
    _description = "Commodity Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in imports and reports, e.g. COAL.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    dangerous_goods = fields.Boolean(
        help="Goods of this category need dangerous-goods handling and documents."
    )

    _code_uniq = Constraint(
        "unique(code)",
        "A commodity category code must be unique.",
    )
