from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..logic import geo

# what only action_check_in / action_check_out write: a direct write (JSON-RPC,
# import, server action) would forge where and when the rep was
CHECKIN_METHOD_FIELDS = (
    "checkin_date",
    "checkin_located",
    "checkin_latitude",
    "checkin_longitude",
    "checkin_accuracy",
    "checkin_distance_known",
    "checkin_distance",
    "checkout_date",
    "checkin_duration",
)


class LogisticsVisit(models.Model):
    """Check-in and check-out at the customer: when, where (as the rep's browser
    gives it) and how far from the customer's address, and how long."""

    _inherit = "logistics.visit"

    checkin_date = fields.Datetime(
        string="Checked In", readonly=True, copy=False, tracking=True
    )
    checkin_located = fields.Boolean(
        string="Position Recorded",
        readonly=True,
        copy=False,
        help="The browser gave the rep's position at check-in.",
    )
    checkin_latitude = fields.Float(
        string="Check-In Latitude", digits=(10, 7), readonly=True, copy=False
    )
    checkin_longitude = fields.Float(
        string="Check-In Longitude", digits=(10, 7), readonly=True, copy=False
    )
    checkin_accuracy = fields.Float(
        string="Position Accuracy (m)",
        digits=(16, 0),
        readonly=True,
        copy=False,
        help="The radius the browser gave around the position, in metres.",
    )
    checkin_distance_known = fields.Boolean(
        string="Distance Known", readonly=True, copy=False
    )
    checkin_distance = fields.Float(
        string="Distance to Customer (m)",
        digits=(16, 0),
        readonly=True,
        copy=False,
        help="Straight-line distance from the check-in position to the geo "
        "coordinates of the customer's address, when both are known.",
    )
    checkout_date = fields.Datetime(
        string="Checked Out", readonly=True, copy=False, tracking=True
    )
    checkin_duration = fields.Float(
        string="Time on Site (hours)",
        readonly=True,
        copy=False,
        help="From check-in to check-out.",
    )
    checkin_photo = fields.Image(
        string="Visit Photo", max_width=1920, max_height=1920, copy=False
    )

    # -- rules ---------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_checkin_method_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_checkin_method_fields(vals)
        return super().write(vals)

    def _check_checkin_method_fields(self, vals):
        """Refuse the check-in fields unless the check-in methods (the
        `logistics_visit_method` context key) or the superuser write them."""
        if self.env.su or self.env.context.get("logistics_visit_method"):
            return
        written = [name for name in CHECKIN_METHOD_FIELDS if name in vals]
        if written:
            raise ValidationError(
                self.env._(
                    "Check In and Check Out record these fields of a visit; they "
                    "cannot be written directly: %(fields)s",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in written
                    ),
                )
            )

    @api.constrains(
        "checkin_located", "checkin_latitude", "checkin_longitude", "checkin_accuracy"
    )
    def _check_checkin_position(self):
        for visit in self:
            if visit.checkin_located and not geo.valid_position(
                visit.checkin_latitude, visit.checkin_longitude
            ):
                raise ValidationError(
                    self.env._(
                        "A check-in position needs a latitude between -90 and 90 "
                        "and a longitude between -180 and 180."
                    )
                )
            if visit.checkin_accuracy < 0:
                raise ValidationError(
                    self.env._("The accuracy of a position cannot be negative.")
                )

    @api.constrains("checkin_date", "checkout_date")
    def _check_checkout_after_checkin(self):
        for visit in self:
            if visit.checkout_date and (
                not visit.checkin_date or visit.checkout_date < visit.checkin_date
            ):
                raise ValidationError(
                    self.env._("A visit is checked out only after its check-in.")
                )

    def _check_checkin_allowed(self):
        """A planned visit, by its rep or a Logistics CRM manager."""
        self.ensure_one()
        if self.state != "planned":
            raise UserError(
                self.env._("Only a planned visit can be checked in or out.")
            )
        if self.user_id != self.env.user and not self.env.user.has_group(
            "logistics_crm.group_logistics_crm_manager"
        ):
            raise UserError(
                self.env._(
                    "Only %(rep)s, who makes this visit, or a manager can check "
                    "it in or out.",
                    rep=self.user_id.name,
                )
            )

    # -- actions -------------------------------------------------------------

    @api.model
    def _checkin_position(self, latitude, longitude, accuracy):
        """(latitude, longitude, accuracy) as floats, or Nones when the browser
        gave no position; a position off the Earth is refused."""
        # 0.0 is a latitude (the equator), not "no position"
        if any(value is None or value is False for value in (latitude, longitude)):
            return None, None, None
        try:
            latitude, longitude = float(latitude), float(longitude)
            accuracy = 0.0 if accuracy is None or accuracy is False else float(accuracy)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                self.env._("The check-in position is not a pair of numbers.")
            ) from error
        return latitude, longitude, accuracy

    def action_check_in(self, latitude=None, longitude=None, accuracy=None):
        """Record the arrival at the customer: now and, when the browser gave
        it, the position and its distance to the customer's address."""
        self.ensure_one()
        self._check_checkin_allowed()
        if self.checkin_date:
            raise UserError(self.env._("This visit is already checked in."))
        latitude, longitude, accuracy = self._checkin_position(
            latitude, longitude, accuracy
        )
        partner = self.partner_id.sudo()
        distance = geo.distance_to_address(
            latitude, longitude, partner.partner_latitude, partner.partner_longitude
        )
        self.with_context(logistics_visit_method=True).write(
            {
                "checkin_date": fields.Datetime.now(),
                "checkin_located": latitude is not None,
                "checkin_latitude": latitude or 0.0,
                "checkin_longitude": longitude or 0.0,
                "checkin_accuracy": accuracy or 0.0,
                "checkin_distance_known": distance is not None,
                "checkin_distance": round(distance) if distance is not None else 0.0,
            }
        )
        return True

    def action_check_out(self):
        """Record the departure and the time spent at the customer."""
        self.ensure_one()
        self._check_checkin_allowed()
        if not self.checkin_date:
            raise UserError(self.env._("Check in before checking out."))
        if self.checkout_date:
            raise UserError(self.env._("This visit is already checked out."))
        now = fields.Datetime.now()
        self.with_context(logistics_visit_method=True).write(
            {
                "checkout_date": now,
                "checkin_duration": (now - self.checkin_date).total_seconds() / 3600,
            }
        )
        return True
