from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # the destination takes a source's credit code while the source still
        # exists (it is deleted afterwards): the code is not used twice
        return super()._update_values(
            src_partners,
            dst_partner.with_context(logistics_merging_partner_ids=src_partners.ids),
        )
