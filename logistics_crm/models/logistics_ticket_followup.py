from datetime import timedelta

from odoo import fields, models


class LogisticsTicket(models.Model):
    """A settled complaint is followed by a call: is the customer satisfied now?"""

    _inherit = "logistics.ticket"

    complaint_followup_planned = fields.Boolean(readonly=True, copy=False)

    def write(self, vals):
        closing = self.browse()
        if vals.get("stage_id"):
            stage = self.env["logistics.ticket.stage"].browse(vals["stage_id"])
            if stage.is_closed:
                closing = self.filtered(lambda ticket: not ticket.is_closed)
        result = super().write(vals)
        if closing:
            closing._plan_complaint_followups()
        return result

    def _plan_complaint_followups(self):
        """One follow-up call per closed complaint, for the customer's key-account
        manager (else the ticket's handler), the policy's number of days later."""
        tickets = self.filtered(
            lambda t: t.type_id.is_complaint and not t.complaint_followup_planned
        )
        activity_type = self.env.ref(
            "logistics_crm.mail_activity_type_complaint_followup"
        )
        Policy = self.env["logistics.tier.policy"]
        for company, group in tickets.grouped("company_id").items():
            policy = Policy._get_company_policy(company)
            if not policy.complaint_followup_days:
                continue
            deadline = policy._company_today() + timedelta(
                days=policy.complaint_followup_days
            )
            vals_list = []
            for ticket in group:
                user = (
                    ticket.key_account_manager_id
                    or ticket.user_id
                    or policy.responsible_user_id
                )
                if not user:
                    continue
                vals_list.append(
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": self.env["ir.model"]._get_id(
                            "logistics.ticket"
                        ),
                        "res_id": ticket.id,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "summary": user._logistics_in_lang(
                            ticket, ticket.company_id
                        ).env._(
                            "Complaint %(number)s closed: call to ask whether the "
                            "customer is satisfied",
                            number=ticket.number,
                        ),
                    }
                )
            policy._create_activities(vals_list, model="logistics.ticket")
            group.sudo().write({"complaint_followup_planned": True})
