from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..logic import order_rhythm

# Company-level profile fields: they live on the commercial partner and are
# copied to its contacts by Odoo's commercial-field sync.
COMMERCIAL_PROFILE_FIELDS = [
    "customer_size",
    "customer_nature",
    "service_type_ids",
    "commodities",
    "annual_shipment_estimate",
    "annual_tonnage_estimate",
    "preferred_contact_channel",
    "preferred_contact_time",
    "order_interval_days",
    "payment_day",
    "profile_verified_date",
    "profile_verified_by_id",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_size = fields.Selection(
        [("large", "Large"), ("medium", "Medium"), ("small", "Small")],
        tracking=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    customer_nature = fields.Selection(
        [
            ("retailer", "Retailer"),
            ("shipper", "Business / Shipper"),
            ("agent", "Channel Partner / Agent"),
            ("internal", "Internal"),
        ],
        tracking=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    service_type_ids = fields.Many2many(
        "logistics.service.type",
        "res_partner_logistics_service_type_rel",
        "partner_id",
        "service_type_id",
        string="Services Bought",
        groups="logistics_crm.group_logistics_crm_user",
    )
    demand_type = fields.Selection(
        [
            (order_rhythm.SINGLE_DEMAND, "Single Demand"),
            (order_rhythm.COMPREHENSIVE_DEMAND, "Comprehensive Demand"),
        ],
        compute="_compute_demand_type",
        store=True,
        help="Single demand: the customer buys one logistics service. "
        "Comprehensive demand: it buys two or more.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    commodities = fields.Text(
        string="Typical Commodities", groups="logistics_crm.group_logistics_crm_user"
    )
    lane_ids = fields.One2many(
        "logistics.partner.lane",
        "partner_id",
        string="Lanes",
        groups="logistics_crm.group_logistics_crm_user",
    )
    annual_shipment_estimate = fields.Integer(
        string="Annual Shipments (est.)",
        groups="logistics_crm.group_logistics_crm_user",
    )
    annual_tonnage_estimate = fields.Float(
        string="Annual Tonnes (est.)",
        digits=(16, 2),
        groups="logistics_crm.group_logistics_crm_user",
    )
    preferred_contact_channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("instant_message", "Instant Message"),
            ("video", "Video Call"),
            ("visit", "Visit"),
        ],
        groups="logistics_crm.group_logistics_crm_user",
    )
    preferred_contact_time = fields.Char(
        help="e.g. weekday mornings, after 14:00",
        groups="logistics_crm.group_logistics_crm_user",
    )
    order_interval_days = fields.Integer(
        string="Typical Order Interval (days)",
        help="How many days usually pass between two orders of this customer.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    payment_day = fields.Integer(
        string="Payment Day of Month",
        help="Day of the month (1-31) on which the customer pays.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    communication_style = fields.Selection(
        [
            ("impulsive_emotional", "Impulsive / Emotional"),
            ("warm_outgoing", "Warm / Outgoing"),
            ("slick_difficult", "Slick / Difficult"),
            ("stubborn", "Stubborn"),
            ("indecisive", "Indecisive"),
        ],
        groups="logistics_crm.group_logistics_crm_user",
    )
    birthday = fields.Date(groups="logistics_crm.group_logistics_crm_user")
    preference_notes = fields.Text(
        string="Preferences", groups="logistics_crm.group_logistics_crm_user"
    )
    profile_verified_date = fields.Date(
        string="Profile Verified On",
        copy=False,
        groups="logistics_crm.group_logistics_crm_user",
    )
    profile_verified_by_id = fields.Many2one(
        "res.users", copy=False, groups="logistics_crm.group_logistics_crm_user"
    )

    @api.depends("service_type_ids")
    def _compute_demand_type(self):
        for partner in self:
            partner.demand_type = order_rhythm.demand_type(
                len(partner.service_type_ids)
            )

    @api.constrains("order_interval_days")
    def _check_order_interval_days(self):
        for partner in self:
            if partner.order_interval_days < 0:
                raise ValidationError(
                    _(
                        "The typical order interval of %(partner)s cannot be "
                        "negative (%(days)s days).",
                        partner=partner.display_name,
                        days=partner.order_interval_days,
                    )
                )

    @api.constrains("annual_shipment_estimate", "annual_tonnage_estimate")
    def _check_annual_estimates(self):
        for partner in self:
            if (
                partner.annual_shipment_estimate < 0
                or partner.annual_tonnage_estimate < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The annual shipments and tonnes of %(partner)s cannot be "
                        "negative.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("payment_day")
    def _check_payment_day(self):
        for partner in self:
            if not order_rhythm.is_valid_payment_day(partner.payment_day):
                raise ValidationError(
                    _(
                        "The payment day of %(partner)s must be a day of the month "
                        "between 1 and 31, not %(day)s.",
                        partner=partner.display_name,
                        day=partner.payment_day,
                    )
                )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + COMMERCIAL_PROFILE_FIELDS

    def action_mark_profile_verified(self):
        self.commercial_partner_id.write(
            {
                "profile_verified_date": fields.Date.context_today(self),
                "profile_verified_by_id": self.env.user.id,
            }
        )
        return True
