from odoo import fields, models

from .const import SURVEY_MEASURE_SELECTION


class SurveyQuestion(models.Model):
    """A question of a relationship survey says what it measures, so any survey a
    manager builds feeds the NPS, the service-quality figures and the health."""

    _inherit = "survey.question"

    logistics_measure = fields.Selection(
        SURVEY_MEASURE_SELECTION,
        string="Relationship Measure",
        groups="survey.group_survey_user",
        help="For relationship surveys sent by Logistics CRM: a 1-5 scale for the "
        "service-quality dimensions, a 0-10 scale for the would-recommend question "
        "(NPS), a text box for the improvement suggestion.",
    )
