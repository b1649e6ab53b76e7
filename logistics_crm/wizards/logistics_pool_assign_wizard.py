from odoo import api, fields, models


class LogisticsPoolAssignWizard(models.TransientModel):
    """A manager gives customers of the pool to a rep, past the limits if they
    choose: the grades that need a dedicated manager get the rep as key-account
    manager."""

    _name = "logistics.pool.assign.wizard"
    _description = "Assign Pool Customers"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Rep",
        required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    ignore_limits = fields.Boolean(
        string="Past the Limits",
        help="Assign even when the rep already owns as many customers as the "
        "limits allow.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [
                fields.Command.set(self.env.context.get("active_ids") or [])
            ]
        return values

    def action_assign(self):
        self.ensure_one()
        partners = self.partner_ids.with_company(self.company_id)
        accounts = partners._logistics_pool_accounts()
        accounts._pool_assign(self.user_id, ignore_limits=self.ignore_limits)
        return partners._logistics_pool_notification(
            self.env._(
                "%(count)s customers assigned to %(user)s.",
                count=len(accounts),
                user=self.user_id.name,
            )
        )
