from odoo import api, models
from odoo.modules.module import get_manifest

# languages the guides in docs/guide are written in; the others read English
GUIDE_LANGUAGES = {"zh": "zh_CN"}


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _logistics_user_guide_url(self, lang):
        """The user guide's address in the language closest to `lang`."""
        folder = GUIDE_LANGUAGES.get((lang or "").split("_")[0], "en")
        website = get_manifest("logistics_crm")["website"].rstrip("/")
        return f"{website}/blob/main/docs/guide/{folder}/README.md"

    @api.model
    def _logistics_user_guide_action(self):
        return {
            "type": "ir.actions.act_url",
            "url": self._logistics_user_guide_url(self.env.user.lang),
            "target": "new",
        }
