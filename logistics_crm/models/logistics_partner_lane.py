from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LogisticsPartnerLane(models.Model):
    _name = "logistics.partner.lane"
    _description = "Customer Logistics Lane"
    _order = "partner_id, sequence, id"
    _rec_names_search = ["origin", "destination"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    origin = fields.Char(required=True)
    destination = fields.Char(required=True)
    service_type_id = fields.Many2one("logistics.service.type", string="Service")
    commodity = fields.Char()
    annual_shipment_estimate = fields.Integer(string="Shipments / Year")
    company_id = fields.Many2one(related="partner_id.company_id", store=True)

    @api.depends("origin", "destination")
    def _compute_display_name(self):
        for lane in self:
            lane.display_name = f"{lane.origin or ''} → {lane.destination or ''}"

    @api.constrains("annual_shipment_estimate")
    def _check_annual_shipment_estimate(self):
        if any(lane.annual_shipment_estimate < 0 for lane in self):
            raise ValidationError(
                self.env._("The shipments per year of a lane cannot be negative.")
            )
