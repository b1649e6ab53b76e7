from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, **kwargs):
        """A language installed after the addon also translates the seeded grade
        names and policy names of the existing policies."""
        # 18.0 passes imported_module too; 19.0 has no such argument
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, **kwargs
        )
        if "logistics_crm" in modules:
            self.env["logistics.customer.grade"].sudo().search(
                []
            )._translate_names_from_template()
            self.env["logistics.tier.policy"].sudo().search(
                []
            )._translate_default_name()
        return result
