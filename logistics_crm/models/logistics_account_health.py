from odoo import fields, models

from .const import HEALTH_STATUS_SELECTION


class LogisticsAccountHealth(models.Model):
    """The health score of a customer account over time (one row per change)."""

    _name = "logistics.account.health"
    _description = "Customer Account Health History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    account_id = fields.Many2one(
        "logistics.customer.tier", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Date(required=True, index=True)
    score = fields.Float(string="Health Score", aggregator="avg")
    status = fields.Selection(HEALTH_STATUS_SELECTION, string="Health")
