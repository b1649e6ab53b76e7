from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def get_import_templates(self):
        """Odoo's customer template, and the logistics customers' one with its
        columns in Chinese or in English (the labels the import matches)."""
        templates = super().get_import_templates()
        if not self.env.user.has_group("logistics_crm.group_logistics_crm_user"):
            return templates
        return templates + [
            {
                "label": self.env._(
                    "Import Template for Logistics Customers (Chinese columns)"
                ),
                "template": "/logistics_crm/static/xls/logistics_customers_zh_CN.xlsx",
            },
            {
                "label": self.env._(
                    "Import Template for Logistics Customers (English columns)"
                ),
                "template": "/logistics_crm/static/xls/logistics_customers_en.xlsx",
            },
        ]
