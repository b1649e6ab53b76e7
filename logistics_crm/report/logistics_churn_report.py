from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.const import grade_selection


class LogisticsChurnReport(models.Model):
    """Customers lost per month, company, grade at churn, key-account manager and
    reason: one line per account with a churn date, won back since or not (the
    month it was lost stays a month with a loss). Churn is lost or lapsed: a
    customer that lapsed churned on the day it lapsed (reason "Lapsed (no reason
    recorded)" until a person gives one)."""

    _name = "logistics.churn.report"
    _description = "Churn Analysis"
    _auto = False
    _order = "churn_date desc"
    _rec_name = "partner_id"
    # searching the report flushes these first
    _depends = {
        "logistics.customer.tier": [
            "partner_id",
            "company_id",
            "churn_date",
            "churn_tier",
            "key_account_manager_id",
            "churn_reason_id",
            "churn_competitor",
            "is_lost",
            "won_back_date",
            "lapsed_date",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    churn_date = fields.Date(readonly=True)
    tier = fields.Selection(grade_selection, string="Tier When Lost", readonly=True)
    key_account_manager_id = fields.Many2one(
        "res.users", string="Key-Account Manager", readonly=True
    )
    churn_reason_id = fields.Many2one("logistics.churn.reason", readonly=True)
    churn_competitor = fields.Char(string="Lost to Competitor", readonly=True)
    is_lost = fields.Boolean(string="Lost Customer", readonly=True)
    is_lapsed = fields.Boolean(
        string="Churned by Lapsing",
        readonly=True,
        help="The customer churned on the day it lapsed: no business for the "
        "tier policy's lapsed months.",
    )
    customer_count = fields.Integer(
        string="Lost Customers", readonly=True, aggregator="sum"
    )
    won_back_count = fields.Integer(
        string="Won Back Customers", readonly=True, aggregator="sum"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT t.id,
                           t.partner_id,
                           t.company_id,
                           t.churn_date,
                           t.churn_tier AS tier,
                           t.key_account_manager_id,
                           t.churn_reason_id,
                           t.churn_competitor,
                           COALESCE(t.is_lost, FALSE) AS is_lost,
                           COALESCE(t.churn_date = t.lapsed_date, FALSE)
                               AS is_lapsed,
                           1 AS customer_count,
                           CASE WHEN t.won_back_date IS NOT NULL THEN 1 ELSE 0 END
                               AS won_back_count
                      FROM logistics_customer_tier t
                     WHERE t.churn_date IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )
