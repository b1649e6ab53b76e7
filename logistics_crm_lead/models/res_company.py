from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_RENEWAL_WATCH_DAYS = 3650


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_renewal_watch_days = fields.Integer(
        string="Renewal Watch (days)",
        default=90,
        help="An opportunity is opened this many days before the current provider's "
        "contract of a target account ends; 0 turns the watch off.",
        groups="base.group_user",
    )

    @api.constrains("logistics_renewal_watch_days")
    def _check_logistics_renewal_watch_days(self):
        for company in self:
            if not 0 <= company.logistics_renewal_watch_days <= MAX_RENEWAL_WATCH_DAYS:
                raise ValidationError(
                    self.env._(
                        "The renewal watch opens opportunities between 0 (off) and "
                        "%(max)s days before a contract ends.",
                        max=MAX_RENEWAL_WATCH_DAYS,
                    )
                )
