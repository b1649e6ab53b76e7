from odoo import fields, models


class CrmLead(models.Model):
    """Prospect visits planned from the opportunity; they show on the visit
    calendar with the customers' visits."""

    _inherit = "crm.lead"

    logistics_visit_ids = fields.One2many(
        "logistics.visit",
        "lead_id",
        string="Visits",
        groups="logistics_crm.group_logistics_crm_user",
    )
    logistics_visit_count = fields.Integer(
        string="Visit Count",
        compute="_compute_logistics_visit_count",
        groups="logistics_crm.group_logistics_crm_user",
    )

    def _compute_logistics_visit_count(self):
        counts = {
            lead.id: count
            for lead, count in self.env["logistics.visit"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        }
        for lead in self:
            lead.logistics_visit_count = counts.get(lead.id, 0)

    def action_plan_logistics_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan a Visit"),
            "res_model": "logistics.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_lead_id": self.id,
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_company_id": (self.company_id or self.env.company).id,
                "default_purpose": self.name,
            },
        }

    def action_open_logistics_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_visit_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
