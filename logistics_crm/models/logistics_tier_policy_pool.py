from odoo import api, fields, models
from odoo.exceptions import ValidationError

POOL_LIMIT_FIELDS = ("pool_daily_limit", "pool_owned_limit")


class LogisticsTierPolicy(models.Model):
    """The company's customer pool limits: claims per rep and day, own customers
    per rep, and how long a former owner waits before claiming back."""

    _inherit = "logistics.tier.policy"

    pool_daily_limit = fields.Integer(
        string="Claims per Rep and Day",
        default=10,
        help="Customers a rep may claim from the pool a day (the company's day). "
        "0: no limit.",
    )
    pool_owned_limit = fields.Integer(
        string="Own Customers per Rep",
        default=200,
        help="Customers a rep may own at most in this company; claiming past it "
        "is refused, a manager may assign past it. 0: no limit.",
    )
    pool_block_days = fields.Integer(
        string="Former Owner Waits (days)",
        default=30,
        help="A customer returned to the pool cannot be claimed back by its "
        "former owner for this many days.",
    )

    @api.constrains(*POOL_LIMIT_FIELDS, "pool_block_days")
    def _check_pool_limits(self):
        for policy in self:
            if any(
                policy[name] < 0 for name in (*POOL_LIMIT_FIELDS, "pool_block_days")
            ):
                raise ValidationError(
                    self.env._("The customer pool's limits cannot be negative.")
                )


class LogisticsCustomerGrade(models.Model):
    """A grade may set its own pool limits, counted on its customers only."""

    _inherit = "logistics.customer.grade"

    pool_daily_limit = fields.Integer(
        string="Claims per Rep and Day",
        help="Customers of this grade a rep may claim a day, within the company's "
        "limit. 0: only the company's limit.",
    )
    pool_owned_limit = fields.Integer(
        string="Own Customers per Rep",
        help="Customers of this grade a rep may own, within the company's limit. "
        "0: only the company's limit.",
    )

    @api.constrains(*POOL_LIMIT_FIELDS)
    def _check_pool_limits(self):
        for grade in self:
            if any(grade[name] < 0 for name in POOL_LIMIT_FIELDS):
                raise ValidationError(
                    self.env._("The customer pool's limits cannot be negative.")
                )
