from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LogisticsTierPolicy(models.Model):
    """Which survey asks the company's customers for their opinion, and how many
    go out per day (each grade sets its own cadence)."""

    _inherit = "logistics.tier.policy"

    survey_id = fields.Many2one(
        "survey.survey",
        string="Relationship Survey",
        default=lambda self: self._default_survey(),
        ondelete="set null",
        # customers answer through their personal link, without logging in
        domain="[('access_mode', '=', 'token')]",
        help="Sent to the customers of each grade on the grade's cadence: its "
        "questions measure service quality and the would-recommend score (NPS).",
    )
    survey_daily_limit = fields.Integer(
        string="Surveys per Day",
        default=50,
        help="At most this many relationship surveys go out per day, the customers "
        "never asked first, so that a new cadence does not mail everybody at once.",
    )

    @api.model
    def _default_survey(self):
        return self.env.ref(
            "logistics_crm.survey_relationship", raise_if_not_found=False
        )

    @api.constrains("survey_daily_limit", "survey_id")
    def _check_survey_settings(self):
        if any(policy.survey_daily_limit < 0 for policy in self):
            raise ValidationError(
                self.env._("The number of surveys per day cannot be negative.")
            )
        for policy in self:
            if policy.survey_id and policy.sudo().survey_id.access_mode != "token":
                raise ValidationError(
                    self.env._(
                        "The relationship survey %(survey)s must be open to invited "
                        "people (access by token): customers answer through their "
                        "link without an account.",
                        survey=policy.sudo().survey_id.title,
                    )
                )

    def _send_due_surveys(self, today):
        self.ensure_one()
        Account = self.env["logistics.customer.tier"].sudo()
        return Account._due_for_survey(self, today)._send_relationship_surveys(
            self, today
        )
