from odoo import fields, models

DEVELOPMENT_TRIGGER_SELECTION = [
    ("new_service", "Needs a New Service"),
    ("unhappy", "Unhappy with Current Provider"),
    ("growth", "Demand Growing"),
    ("price", "Our Price Advantage"),
]


# crm.lead belongs to sales users; the qualification too
SALES = "sales_team.group_sale_salesman"


class CrmLead(models.Model):
    """The logistics qualification of a lead or opportunity: what the prospect
    ships, where, how much, with whom today, and why now."""

    _inherit = "crm.lead"

    logistics_service_type_ids = fields.Many2many(
        "logistics.service.type",
        "crm_lead_logistics_service_type_rel",
        "lead_id",
        "service_type_id",
        string="Services Wanted",
        groups=SALES,
    )
    logistics_lanes = fields.Char(
        string="Lanes",
        help="Origins and destinations, e.g. Shanghai - Hamburg.",
        groups=SALES,
    )
    logistics_annual_shipments = fields.Integer(
        string="Shipments per Year", groups=SALES
    )
    logistics_annual_tonnes = fields.Float(string="Tonnes per Year", groups=SALES)
    logistics_commodity_category_ids = fields.Many2many(
        "logistics.commodity.category",
        "crm_lead_logistics_commodity_rel",
        "lead_id",
        "category_id",
        string="Commodities",
        groups=SALES,
    )
    logistics_current_provider = fields.Char(string="Current Provider", groups=SALES)
    logistics_provider_contract_end = fields.Date(
        string="Provider Contract Ends", groups=SALES
    )
    logistics_trigger = fields.Selection(
        DEVELOPMENT_TRIGGER_SELECTION,
        string="Development Trigger",
        help="Why approach the prospect now: it needs a new service, is unhappy "
        "with its provider, its demand grows, or our price is better.",
        groups=SALES,
    )
