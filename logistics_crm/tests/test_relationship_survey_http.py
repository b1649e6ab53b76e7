import re

from odoo.tests import HttpCase, tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD

from .common import LogisticsTierCase
from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestRelationshipSurveyAnswered(
    NoReadWriteRetryMixin, LogisticsTierCase, HttpCase
):
    """A tiered customer opens the emailed link without logging in, answers, and
    its account's NPS and survey score come from those answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the survey's administrator (19.0's accounting test user has no survey
        # group; 18.0's had every default group)
        cls.env.user[GROUPS_FIELD] |= cls.env.ref("survey.group_survey_manager")

    def test_customer_answers_through_the_link(self):
        customer = self._customers(1, prefix="Answering", customer_rank=1)
        customer.email = "buyer@answering.example.com"
        self._invoice(customer, 5000.0, "2026-10-01")
        self.policy._recompute_tiers()
        account = self._tier_row(customer)
        self.assertTrue(account.tier)
        account.action_send_relationship_survey()
        sent = account.relationship_survey_ids
        self.assertEqual(len(sent), 1)
        url = sent._survey_url()
        token = sent.sudo().user_input_id.access_token
        survey = self.env.ref("logistics_crm.survey_relationship")

        page = self.url_open(url.replace(survey.get_base_url(), ""))
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'csrf_token.+?value="([a-f0-9]{40}o[0-9]*)"', page.text)[1]
        base = f"/survey/%s/{survey.access_token}/{token}"
        self.opener.post(url=self.base_url() + base % "begin", json={})
        post = {"csrf_token": csrf, "token": token, "button_submit": "submit"}
        for question in survey.question_ids:
            measure = question.logistics_measure
            if measure == "recommend":
                post[str(question.id)] = "6"
            elif measure == "comment":
                post[str(question.id)] = "Call before the truck arrives"
            else:
                post[str(question.id)] = "4"
        response = self.opener.post(
            url=self.base_url() + base % "submit", json={"params": post}
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("error", response.json())

        sent.invalidate_recordset()
        account.invalidate_recordset()
        self.assertEqual(sent.state, "answered")
        self.assertEqual(sent.nps_category, "detractor")
        self.assertEqual(sent.service_quality, 4.0)
        self.assertEqual(sent.comment, "Call before the truck arrives")
        self.assertEqual(account.survey_recommend_score, 6)
        self.assertEqual(account.survey_score, 67.5)  # mean of 60 and 75
