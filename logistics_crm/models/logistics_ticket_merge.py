from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class LogisticsTicket(models.Model):
    """Duplicates of one customer's request merged into one ticket: messages,
    attachments, followers and claim lines move, the duplicates are archived
    with a link to the ticket they were merged into."""

    _inherit = "logistics.ticket"

    merged_into_id = fields.Many2one(
        "logistics.ticket",
        string="Merged into",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _merge_into(self, target):
        """Merge `self` (the duplicates) into `target`."""
        duplicates = self - target
        if not duplicates:
            raise UserError(self.env._("Select at least two tickets to merge."))
        if (
            len((self | target).commercial_partner_id) > 1
            or len((self | target).company_id) > 1
        ):
            raise UserError(
                self.env._("Only tickets of one customer in one company can be merged.")
            )
        (self | target).check_access("write")
        settled = duplicates.sudo().filtered(
            lambda t: t.claim_state not in (False, "open") or t.credit_note_ids
        )
        if settled:
            raise UserError(
                self.env._(
                    "%(tickets)s already carry a settlement: merge them into it, or "
                    "reject it first.",
                    tickets=", ".join(settled.mapped("number")),
                )
            )
        self.env.flush_all()
        # the chatter, the files and the claim lines follow the ticket
        for model, model_field in (
            ("mail.message", "model"),
            ("ir.attachment", "res_model"),
        ):
            self.env[model].sudo().search(
                [(model_field, "=", self._name), ("res_id", "in", duplicates.ids)]
            ).write({"res_id": target.id})
        duplicates.sudo().claim_line_ids.write({"ticket_id": target.id})
        target.sudo().invoice_ids |= duplicates.sudo().invoice_ids
        duplicates.sudo().activity_ids.write({"res_id": target.id})
        partners = duplicates.sudo().message_partner_ids - target.message_partner_ids
        if partners:
            target.message_subscribe(partner_ids=partners.ids)
        duplicates._logistics_log_note(
            Markup(self.env._("Merged into %(ticket)s."))
            % {"ticket": target._get_html_link(title=target.number)}
        )
        duplicates.write(
            {"merged_into_id": target.id, "active": False, "claim_amount": 0.0}
        )
        target._logistics_log_note(
            self.env._(
                "Merged from %(tickets)s.",
                tickets=", ".join(duplicates.mapped("number")),
            )
        )
        return target

    def action_merge(self):
        """Merge the selected tickets into the oldest one."""
        target = self.sorted(lambda t: (t.create_date or fields.Datetime.now(), t.id))[
            :1
        ]
        target = self._merge_into(target)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": target.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
