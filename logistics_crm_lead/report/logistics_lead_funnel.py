from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_lead import DEVELOPMENT_TRIGGER_SELECTION


class LogisticsLeadFunnel(models.Model):
    """The customer-development funnel, one line per lead: prospect, opportunity,
    won, first invoice after winning, repeat orders, and a key-account grade 12
    months after winning. Each step is a 0/1 column: their sums per trigger, rep
    or year are the funnel."""

    _name = "logistics.lead.funnel"
    _description = "Customer Development Funnel"
    _auto = False
    _rec_name = "lead_id"
    _order = "date desc, id desc"
    # searching the report flushes these first
    _depends = {
        "crm.lead": [
            "company_id",
            "user_id",
            "team_id",
            "partner_id",
            "logistics_trigger",
            "type",
            "stage_id",
            "date_closed",
            "active",
            "probability",
        ],
        "account.move": [
            "commercial_partner_id",
            "company_id",
            "move_type",
            "state",
            "invoice_date",
        ],
        "logistics.customer.tier": ["tier"],
        "res.partner": ["logistics_target_year", "commercial_partner_id"],
    }

    lead_id = fields.Many2one("crm.lead", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    logistics_trigger = fields.Selection(
        DEVELOPMENT_TRIGGER_SELECTION, string="Development Trigger", readonly=True
    )
    date = fields.Date(string="Created on", readonly=True)
    target_year = fields.Integer(string="Target Account of Year", readonly=True)
    prospect_count = fields.Integer(string="Prospects", readonly=True)
    opportunity_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    first_invoice_count = fields.Integer(string="First Invoice", readonly=True)
    repeat_count = fields.Integer(string="Repeat Orders", readonly=True)
    key_account_count = fields.Integer(
        string="Key Account after 12 Months",
        readonly=True,
        help="Won at least 12 months ago and now in a grade with a dedicated "
        "key-account manager (A or B by default).",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id, l.id AS lead_id, l.company_id, l.user_id, l.team_id,
                   p.commercial_partner_id AS partner_id, l.logistics_trigger,
                   l.create_date::date AS date,
                   (COALESCE(cp.logistics_target_year -> l.company_id::text,
                             target_default.json_value::jsonb) ->> 0)::int
                       AS target_year,
                   1 AS prospect_count,
                   (l.type = 'opportunity')::int AS opportunity_count,
                   COALESCE(s.is_won, FALSE)::int AS won_count,
                   COALESCE(s.is_won AND inv.count >= 1, FALSE)::int
                       AS first_invoice_count,
                   COALESCE(s.is_won AND inv.count >= 2, FALSE)::int AS repeat_count,
                   COALESCE(s.is_won AND l.date_closed <= now() - interval '12 months'
                            AND g.key_account_required, FALSE)::int
                       AS key_account_count
              FROM crm_lead l
              LEFT JOIN crm_stage s ON s.id = l.stage_id
              LEFT JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
              -- the company's default target year (Odoo's fallback of a
              -- company-dependent field) for the prospects without their own
              LEFT JOIN ir_default target_default
                ON target_default.field_id = %(target_field)s
               AND target_default.company_id = l.company_id
               AND target_default.user_id IS NULL
               AND target_default.condition IS NULL
              LEFT JOIN LATERAL (
                    SELECT COUNT(*) AS count FROM account_move m
                     WHERE m.commercial_partner_id = p.commercial_partner_id
                       AND m.company_id = l.company_id
                       AND m.move_type = 'out_invoice' AND m.state = 'posted'
                       AND m.invoice_date >= l.date_closed::date
                   ) inv ON s.is_won
              LEFT JOIN logistics_customer_tier t
                ON t.partner_id = p.commercial_partner_id
               AND t.company_id = l.company_id
              LEFT JOIN logistics_tier_policy pol ON pol.company_id = l.company_id
              LEFT JOIN logistics_customer_grade g
                ON g.policy_id = pol.id AND g.code = t.tier
             WHERE l.active OR l.probability = 0
            """,
            target_field=self.env["ir.model.fields"]
            ._get("res.partner", "logistics_target_year")
            .id,
        )
