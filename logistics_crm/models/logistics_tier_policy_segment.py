from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic import segments

SEGMENT_LIMIT_FIELDS = (
    "volume_band_large_tonnes",
    "volume_band_medium_tonnes",
    "frequency_heavy_days",
    "frequency_medium_days",
)


class LogisticsTierPolicy(models.Model):
    """Limits of the customer segments (volume band, order frequency), which the
    recompute stores on the company's accounts after ranking them."""

    _inherit = "logistics.tier.policy"

    volume_band_large_tonnes = fields.Float(
        string="Large Volume from (t/year)",
        default=100000.0,
        digits=(16, 2),
        tracking=True,
        help="Customers shipping at least this many tonnes a year are large-volume "
        "customers.",
    )
    volume_band_medium_tonnes = fields.Float(
        string="Medium Volume from (t/year)",
        default=10000.0,
        digits=(16, 2),
        tracking=True,
        help="Customers shipping at least this many tonnes a year (and less than "
        "the large-volume limit) are medium-volume customers; the others "
        "small-volume ones.",
    )
    frequency_heavy_days = fields.Integer(
        string="High Frequency up to (days)",
        default=7,
        tracking=True,
        help="Customers ordering at most every this many days order with high "
        "frequency.",
    )
    frequency_medium_days = fields.Integer(
        string="Medium Frequency up to (days)",
        default=30,
        tracking=True,
        help="Customers ordering at most every this many days (and less often than "
        "high-frequency ones) order with medium frequency; the others with low "
        "frequency.",
    )

    @api.constrains("volume_band_large_tonnes", "volume_band_medium_tonnes")
    def _check_volume_bands(self):
        for policy in self:
            if not segments.valid_volume_bands(
                policy.volume_band_large_tonnes, policy.volume_band_medium_tonnes
            ):
                raise ValidationError(
                    self.env._(
                        "Volume bands must satisfy large > medium > 0 tonnes "
                        "(large = %(large)s, medium = %(medium)s).",
                        large=policy.volume_band_large_tonnes,
                        medium=policy.volume_band_medium_tonnes,
                    )
                )

    @api.constrains("frequency_heavy_days", "frequency_medium_days")
    def _check_frequency_days(self):
        for policy in self:
            if not segments.valid_frequency_days(
                policy.frequency_heavy_days, policy.frequency_medium_days
            ):
                raise ValidationError(
                    self.env._(
                        "Order-frequency limits must satisfy 0 < high < medium days "
                        "(high = %(heavy)s, medium = %(medium)s).",
                        heavy=policy.frequency_heavy_days,
                        medium=policy.frequency_medium_days,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in SEGMENT_LIMIT_FIELDS):
            # new limits reclassify the accounts now, not at the next recompute
            Account = self.env["logistics.customer.tier"]
            for policy in self:
                Account._update_segments(policy)
        return result

    def _recompute_tiers(self, source="manual", today=None):
        summary = super()._recompute_tiers(source=source, today=today)
        self.env["logistics.customer.tier"]._update_segments(self, today=today)
        return summary
