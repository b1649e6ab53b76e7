from odoo import api, fields, models

from ..logic import health
from .const import (
    NPS_CATEGORY_SELECTION,
    SURVEY_DIMENSIONS,
    grade_selection,
)


class LogisticsRelationshipSurvey(models.Model):
    """One relationship survey sent to a customer for one company's account, and
    its answers once the customer submits them.

    The tier and key-account manager are kept as they were on the day it was
    sent, so NPS per tier and per manager stays true after the account moves.
    The mean of `nps_value` (+100 / 0 / -100 per answer) over answers is the NPS.
    """

    _name = "logistics.relationship.survey"
    _description = "Relationship Survey"
    _order = "sent_date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "logistics.customer.tier",
        string="Customer Account",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    contact_id = fields.Many2one("res.partner", string="Sent to", ondelete="set null")
    tier = fields.Selection(grade_selection, string="Tier when Sent")
    manager_id = fields.Many2one("res.users", string="Key-Account Manager")
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answers",
        index="btree_not_null",
        ondelete="set null",
        groups="survey.group_survey_user",
    )
    sent_date = fields.Date(string="Sent on", required=True, index=True)
    answered_date = fields.Date(string="Answered on", index=True)
    state = fields.Selection(
        [("sent", "Sent"), ("answered", "Answered")],
        required=True,
        default="sent",
        index=True,
    )
    recommend_score = fields.Integer(string="Would Recommend (0-10)", aggregator="avg")
    nps_category = fields.Selection(NPS_CATEGORY_SELECTION, string="NPS Category")
    nps_value = fields.Float(
        string="NPS",
        aggregator="avg",
        digits=(16, 1),
        help="+100 for a promoter, 0 for a passive, -100 for a detractor: the mean "
        "over answers is the Net Promoter Score.",
    )
    service_quality = fields.Float(
        string="Service Quality (1-5)", aggregator="avg", digits=(16, 2)
    )
    reliability = fields.Float(aggregator="avg", digits=(16, 2))
    responsiveness = fields.Float(aggregator="avg", digits=(16, 2))
    assurance = fields.Float(aggregator="avg", digits=(16, 2))
    empathy = fields.Float(aggregator="avg", digits=(16, 2))
    tangibles = fields.Float(aggregator="avg", digits=(16, 2))
    comment = fields.Text(string="Improvement Suggestion")

    def _survey_url(self):
        """The customer's personal link (the answer's token) to the survey."""
        self.ensure_one()
        answer = self.sudo().user_input_id
        return answer.survey_id.get_base_url() + answer.get_start_url()

    @api.model
    def _record_answers(self, user_inputs):
        """Store the scores of completed survey answers on their relationship
        surveys and on the accounts (the last score feeds the health)."""
        surveys = self.search([("user_input_id", "in", user_inputs.ids)])
        for survey in surveys:
            answer = survey.user_input_id
            values = {}
            for line in answer.user_input_line_ids:
                measure = line.question_id.logistics_measure
                if line.skipped or not measure:
                    continue
                if measure == "comment":
                    values["comment"] = line.value_text_box or line.value_char_box
                elif line.answer_type == "scale":
                    values[measure] = line.value_scale
                elif line.answer_type == "numerical_box":
                    values[measure] = line.value_numerical_box
            dimensions = [values[d] for d in SURVEY_DIMENSIONS if d in values]
            quality = sum(dimensions) / len(dimensions) if dimensions else 0.0
            recommend = values.pop("recommend", None)
            category = health.nps_category(recommend)
            today = survey.company_id._logistics_today()
            survey.write(
                {
                    **values,
                    "state": "answered",
                    "answered_date": today,
                    "recommend_score": recommend or 0,
                    "nps_category": category or False,
                    # a skipped would-recommend answer is no NPS answer at all
                    "nps_value": health.NPS_VALUES[category] if category else False,
                    "service_quality": quality,
                }
            )
            score = health.survey_score(recommend, quality or None)
            if score is not None:
                survey.account_id.write(
                    {
                        "survey_date": today,
                        "survey_recommend_score": recommend or 0,
                        "survey_score": score,
                    }
                )
        return surveys
