from odoo import fields, models

from .const import HEALTH_STATUS_SELECTION


class ResPartner(models.Model):
    """The health of the customer's account in the current company, and why."""

    _inherit = "res.partner"

    health_score = fields.Float(
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    health_status = fields.Selection(
        HEALTH_STATUS_SELECTION,
        string="Health",
        compute="_compute_account_fields",
        search="_search_health_status",
        groups="logistics_crm.group_logistics_crm_user",
    )
    health_trend_score = fields.Float(
        string="Revenue Trend",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    health_service_score = fields.Float(
        string="SLA Breaches and Complaints",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    health_satisfaction_score = fields.Float(
        string="Ratings and Visit Satisfaction",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    health_visits_score = fields.Float(
        string="Overdue Visits",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    health_payment_score = fields.Float(
        string="Payment",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    health_survey_score = fields.Float(
        string="Relationship Survey",
        digits=(16, 1),
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    def _search_health_status(self, operator, value):
        return self._search_selection_on_row("health_status", operator, value)
