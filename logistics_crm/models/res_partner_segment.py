from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    commodity_category_ids = fields.Many2many(
        "logistics.commodity.category",
        "res_partner_logistics_commodity_category_rel",
        "partner_id",
        "category_id",
        string="Commodity Categories",
        groups="logistics_crm.group_logistics_crm_user",
    )

    @api.model
    def _commercial_fields(self):
        # a company-level profile field, like the free-text commodities
        return super()._commercial_fields() + ["commodity_category_ids"]
