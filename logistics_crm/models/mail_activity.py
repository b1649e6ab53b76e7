from odoo import models


class MailActivity(models.Model):
    """*Done & Schedule Next* on a re-engage activity asks for its outcome: the
    churn wizard (lost, with the reason) instead of the next activity; closing
    the wizard keeps the customer."""

    _inherit = "mail.activity"

    def action_feedback_schedule_next(self, feedback=False, attachment_ids=None):
        reengage = self.env.ref(
            "logistics_crm.mail_activity_type_reengage", raise_if_not_found=False
        )
        if (
            len(self) != 1
            or not reengage
            or self.activity_type_id != reengage
            or self.res_model != "res.partner"
        ):
            return super().action_feedback_schedule_next(
                feedback=feedback, attachment_ids=attachment_ids
            )
        partner = self.env["res.partner"].browse(self.res_id).commercial_partner_id
        # the company whose planner gave it: where its user owns the account
        owned = (
            self.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("key_account_manager_id", "=", self.user_id.id),
                ]
            )
        )
        self.action_feedback(feedback=feedback, attachment_ids=attachment_ids)
        action = partner.action_mark_lost()
        if len(owned.company_id) == 1:
            action["context"] = dict(
                action["context"], default_company_id=owned.company_id.id
            )
        action["name"] = self.env._("Is %(customer)s lost?", customer=partner.name)
        return action
