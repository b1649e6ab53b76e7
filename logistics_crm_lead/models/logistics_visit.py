from markupsafe import Markup

from odoo import fields, models


class LogisticsVisit(models.Model):
    """A visit may be to a prospect's opportunity: marking it done can move the
    opportunity to the stage its outcome calls for."""

    _inherit = "logistics.visit"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('type', '=', 'opportunity')]",
        groups="sales_team.group_sale_salesman",
    )
    lead_stage_id = fields.Many2one(
        "crm.stage",
        string="Then Move the Opportunity to",
        help="Set with the outcome: marking the visit done moves the opportunity "
        "to this stage.",
        groups="sales_team.group_sale_salesman",
    )

    def action_done(self):
        result = super().action_done()
        for visit in self.sudo().filtered(lambda v: v.lead_id and v.lead_stage_id):
            lead = visit.lead_id.with_env(self.env)
            lead.stage_id = visit.lead_stage_id
            lead._logistics_log_note(
                Markup("<p>%s</p>")
                % self.env._(
                    "Visit of %(date)s done: moved to %(stage)s.",
                    # the day in the time zone of the user marking it done
                    date=fields.Date.to_string(
                        fields.Datetime.context_timestamp(self, visit.date).date()
                    ),
                    stage=visit.lead_stage_id.name,
                )
            )
        return result
