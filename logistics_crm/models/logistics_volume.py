from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command


class LogisticsVolume(models.Model):
    """A customer's monthly volume statement, for business billed outside Odoo."""

    _name = "logistics.volume"
    _description = "Customer Volume Statement"
    _order = "date desc, partner_id, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    date = fields.Date(
        string="Month",
        required=True,
        index=True,
        help="Any day of the month: it is stored as the first day of that month.",
    )
    shipment_count = fields.Integer(string="Shipments")
    weight_tonnes = fields.Float(string="Weight (t)", digits=(16, 3))
    teu = fields.Float(string="TEU", digits=(16, 2))
    revenue = fields.Monetary(currency_field="currency_id")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    note = fields.Char()

    @api.model
    def get_import_templates(self):
        """Monthly statements from Excel, columns in Chinese or in English."""
        return [
            {
                "label": self.env._(
                    "Import Template for Volume Statements (Chinese columns)"
                ),
                "template": "/logistics_crm/static/xls/logistics_volumes_zh_CN.xlsx",
            },
            {
                "label": self.env._(
                    "Import Template for Volume Statements (English columns)"
                ),
                "template": "/logistics_crm/static/xls/logistics_volumes_en.xlsx",
            },
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalise_month(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalise_month(vals)
        return super().write(vals)

    @api.model
    def _normalise_month(self, vals):
        if vals.get("date"):
            vals["date"] = fields.Date.to_date(vals["date"]).replace(day=1)

    @api.constrains("shipment_count", "weight_tonnes", "teu", "revenue")
    def _check_non_negative(self):
        for line in self:
            negatives = [
                label
                for name, label in (
                    ("shipment_count", _("shipments")),
                    ("weight_tonnes", _("weight")),
                    ("teu", _("TEU")),
                    ("revenue", _("revenue")),
                )
                if line[name] < 0
            ]
            if negatives:
                raise ValidationError(
                    _(
                        "Volume statement of %(partner)s for %(month)s: %(fields)s "
                        "cannot be negative.",
                        partner=line.partner_id.display_name,
                        month=line.date.strftime("%Y-%m"),
                        fields=", ".join(negatives),
                    )
                )

    @api.model
    def _create_demo_invoices(self):
        """Demo data only: a posted customer invoice for each demo statement, so
        that the default metric (invoiced revenue) ranks the demo customers as
        their statements do and their profiles show what they were invoiced."""
        statement_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "logistics_crm"), ("model", "=", self._name)])
            .mapped("res_id")
        )
        statements = self.browse(statement_ids).exists().filtered("revenue")
        for company, lines in statements.grouped("company_id").items():
            Journal = self.env["account.journal"]
            if not Journal.search(
                [*Journal._check_company_domain(company), ("type", "=", "sale")],
                limit=1,
            ):
                continue  # no chart of accounts in this company
            Move = self.env["account.move"].with_company(company)
            moves = Move.create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": line.partner_id.id,
                        "invoice_date": line.date,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": self.env._("Freight services"),
                                    "quantity": 1,
                                    "price_unit": line.revenue,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for line in lines
                ]
            )
            moves.action_post()
