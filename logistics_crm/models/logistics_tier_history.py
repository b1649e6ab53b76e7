from odoo import api, fields, models
from odoo.tools import SQL

from ..logic import abc_ranking
from .const import grade_selection


class LogisticsTierHistory(models.Model):
    _name = "logistics.tier.history"
    _description = "Customer Tier History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    previous_tier = fields.Selection(grade_selection)
    new_tier = fields.Selection(grade_selection, required=True)
    value = fields.Float(aggregator="avg")
    rank = fields.Integer(aggregator="min")
    percentile = fields.Float(aggregator="avg")
    source = fields.Selection(
        [
            ("cron", "Scheduled Recompute"),
            ("manual", "Manual Recompute"),
            ("override", "Manual Override"),
            # the grades themselves changed (a template): no customer moved
            ("scale", "Grade Scale Changed"),
        ],
        required=True,
    )
    # who: create_uid (the user who pressed the button, forced the tier, or the
    # cron's user); no separate user column to keep the bulk insert lean
    create_uid = fields.Many2one("res.users", string="By", readonly=True)
    reason = fields.Text()
    direction = fields.Selection(
        [
            ("up", "Up"),
            ("down", "Down"),
            ("new", "First Tier"),
            ("rescaled", "By Scale Change"),
        ],
        compute="_compute_direction",
        store=True,
    )

    @api.depends("previous_tier", "new_tier", "source")
    def _compute_direction(self):
        Grade = self.env["logistics.customer.grade"]
        for company, entries in self.grouped("company_id").items():
            order = Grade._grade_order(company) if company else {}
            for entry in entries:
                if not entry.previous_tier:
                    entry.direction = "new"
                elif entry.source == "scale":
                    entry.direction = "rescaled"
                elif (
                    abc_ranking.tier_direction(
                        entry.previous_tier, entry.new_tier, order
                    )
                    == "up"
                ):
                    entry.direction = "up"
                else:
                    entry.direction = "down"

    @api.model
    def _bulk_insert_from(self, temp_table, company, source):
        """One INSERT for every tier change of a recompute (no per-row ORM create).

        :param temp_table: a table of (pid, previous, new, value, rank, pct)
        """
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_tier_history (
                    partner_id, company_id, date, previous_tier, new_tier, value,
                    rank, percentile, source, direction,
                    create_uid, create_date, write_uid, write_date)
                SELECT v.pid, %(company)s, %(now)s, v.previous, v.new, v.value,
                       v.rank, v.pct, %(source)s,
                       CASE WHEN v.previous IS NULL THEN 'new'
                            WHEN %(source)s = 'scale' THEN 'rescaled'
                            WHEN array_position(%(order)s::varchar[], v.new)
                               < array_position(%(order)s::varchar[], v.previous)
                            THEN 'up' ELSE 'down' END,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM %(table)s v
                """,
                company=company.id,
                # grade codes, best first: a move up is to a smaller position
                order=list(self.env["logistics.customer.grade"]._grade_order(company)),
                now=fields.Datetime.now(),
                source=source,
                uid=self.env.uid,
                table=SQL.identifier(temp_table),
            )
        )
        self.invalidate_model()
