from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sla_commitment_ids = fields.One2many(
        "logistics.sla.policy",
        "partner_id",
        string="Service Commitments",
        groups="logistics_crm.group_logistics_crm_user",
    )
