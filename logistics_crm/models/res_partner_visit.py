from odoo import fields, models


class ResPartner(models.Model):
    """Visits of the customer: count, next planned visit."""

    _inherit = "res.partner"

    visit_ids = fields.One2many(
        "logistics.visit",
        "partner_id",
        string="Visits",
        groups="logistics_crm.group_logistics_crm_user",
    )

    visit_count = fields.Integer(
        compute="_compute_visit_stats", groups="logistics_crm.group_logistics_crm_user"
    )

    next_visit_date = fields.Datetime(
        compute="_compute_visit_stats", groups="logistics_crm.group_logistics_crm_user"
    )

    def _compute_visit_stats(self):
        Visit = self.env["logistics.visit"]
        commercial = self.commercial_partner_id
        counts = dict(
            Visit._read_group(
                [("partner_id", "in", commercial.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        next_dates = dict(
            Visit._read_group(
                [("partner_id", "in", commercial.ids), ("state", "=", "planned")],
                groupby=["partner_id"],
                aggregates=["date:min"],
            )
        )
        for partner in self:
            customer = partner.commercial_partner_id
            partner.visit_count = counts.get(customer, 0)
            partner.next_visit_date = next_dates.get(customer, False)

    def action_open_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_visit_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "search_default_filter_planned": 0,
        }
        return action
