from odoo import fields, models

from .const import POOL_EVENT_SELECTION

ROLE_SELECTION = [
    ("key_account_manager_id", "Key-Account Manager"),
    ("backup_manager_id", "Backup Manager"),
    ("executive_sponsor_id", "Executive Sponsor"),
    ("owner_id", "Owner"),
]


class LogisticsAccountAssignment(models.Model):
    """Who looked after a customer, from when, and why it changed."""

    _name = "logistics.account.assignment"
    _description = "Account Assignment History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    account_id = fields.Many2one(
        "logistics.customer.tier",
        string="Customer Account",
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    role = fields.Selection(ROLE_SELECTION, required=True)
    from_user_id = fields.Many2one("res.users", string="From")
    to_user_id = fields.Many2one("res.users", string="To")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    pool_event = fields.Selection(
        POOL_EVENT_SELECTION,
        index="btree_not_null",
        help="Claimed from the pool, assigned from it by a manager, or returned to it.",
    )
    reason = fields.Char()
    changed_by_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
