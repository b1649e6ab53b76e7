from odoo import api, fields, models
from odoo.tools import SQL

from ..logic import health
from .const import HEALTH_STATUS_SELECTION

SIGNAL_FIELDS = {signal: f"health_{signal}_score" for signal in health.SIGNALS}


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

    health_signals_without_data = fields.Char(
        compute="_compute_health_signals_without_data",
        groups="logistics_crm.group_logistics_crm_user",
    )

    @api.depends_context("company")
    @api.depends(
        "commercial_partner_id",
        *(
            f"commercial_partner_id.customer_tier_ids.{column}"
            for column in SIGNAL_FIELDS.values()
        ),
    )
    def _compute_health_signals_without_data(self):
        """The signals without data of the current company's account (the
        commercial partner's), in one query for the batch."""
        self.flush_model(["commercial_partner_id"])
        # a partner being edited shows its commercial partner's, as the scores
        keys = [
            partner.id
            if isinstance(partner.id, int)
            else partner.commercial_partner_id._origin.id
            for partner in self
        ]
        missing = self.env["logistics.customer.tier"]._health_missing_signals(
            SQL(
                "res_partner p JOIN logistics_customer_tier t"
                " ON t.partner_id = p.commercial_partner_id AND t.company_id = %s",
                self.env.company.id,
            ),
            SQL("p.id"),
            keys,
        )
        for partner, key in zip(self, keys, strict=True):
            partner.health_signals_without_data = missing.get(key, False)

    def _search_health_status(self, operator, value):
        return self._search_selection_on_row("health_status", operator, value)
