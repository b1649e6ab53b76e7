from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LogisticsSlaPolicy(models.Model):
    """A customer's own service commitment: an SLA policy for one customer, valid
    between two dates, that takes precedence over the tier's policies."""

    _inherit = "logistics.sla.policy"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="Set: a commitment negotiated with this customer. Its tickets match "
        "its commitments first, then the general policies.",
    )
    date_start = fields.Date(string="Valid from")
    date_end = fields.Date(string="Valid until")

    @api.constrains("date_start", "date_end")
    def _check_validity(self):
        for policy in self:
            if (
                policy.date_start
                and policy.date_end
                and (policy.date_end < policy.date_start)
            ):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s ends before it starts.",
                        policy=policy.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_commitment_partner(self):
        for policy in self.filtered("partner_id"):
            if policy.partner_id != policy.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: a commitment is made with the "
                        "customer %(customer)s, not with its contact %(contact)s.",
                        policy=policy.name,
                        customer=policy.partner_id.commercial_partner_id.display_name,
                        contact=policy.partner_id.display_name,
                    )
                )

    def _valid_on(self, day):
        return self.filtered(
            lambda policy: (not policy.date_start or policy.date_start <= day)
            and (not policy.date_end or day <= policy.date_end)
        )


class LogisticsTicket(models.Model):
    _inherit = "logistics.ticket"

    sla_is_commitment = fields.Boolean(
        string="Customer Commitment",
        compute="_compute_sla_is_commitment",
        groups="logistics_crm.group_logistics_crm_user",
    )

    @api.depends("sla_policy_id")
    def _compute_sla_is_commitment(self):
        for ticket in self:
            ticket.sla_is_commitment = bool(ticket.sla_policy_id.sudo().partner_id)

    def _sla_policy_groups(self, policies):
        """The customer's commitments valid on the ticket's start first, then the
        general policies."""
        day = fields.Date.to_date(self.sla_start_date or fields.Datetime.now())
        customer = self.commercial_partner_id
        commitments = policies.filtered(
            lambda policy: customer and policy.partner_id == customer
        )._valid_on(day)
        return [commitments, policies.filtered(lambda policy: not policy.partner_id)]
