from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstalledPolicySurvey(TransactionCase):
    """The main company's policy as the install left it (with or without demo
    data): its relationship survey goes out, is answered and reaches the NPS and
    the health of the account. Nothing is configured by the test."""

    def test_installed_policy_sends_its_survey(self):
        policy = self.env.ref("logistics_crm.tier_policy_main_company")
        survey = self.env.ref("logistics_crm.survey_relationship")
        # the installed policy as the data files left it
        self.assertEqual(policy.survey_id, survey)
        company = policy.company_id
        self.assertEqual(company, self.env.ref("base.main_company"))
        top = policy.grade_ids.sorted(lambda grade: (grade.sequence, grade.id))[:1]
        self.assertGreater(top.survey_interval_months, 0, "the top grade is asked")
        customer = self.env["res.partner"].create(
            {
                "name": "Installed Policy Shipper",
                "is_company": True,
                "customer_rank": 1,
                "email": "buyer@installed-policy.example.com",
            }
        )
        Account = self.env["logistics.customer.tier"]
        account = Account._account_rows(customer, company, create=True)[customer.id]
        # ranked in the top grade and worth the most: first in the day's batch,
        # whatever else the database holds
        account.write({"computed_tier": top.code, "value": 10.0**12})
        today = policy._company_today()
        sent = policy._send_due_surveys(today)
        mine = sent.filtered(lambda s: s.partner_id == customer)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.sudo().user_input_id.survey_id, survey)
        mail = self.env["mail.mail"].search(
            [("model", "=", mine._name), ("res_id", "=", mine.id)]
        )
        self.assertIn(mine.sudo().user_input_id.access_token, mail.body_html)
        # the customer answers: would recommend 9, every dimension 4 of 5
        answer = mine.sudo().user_input_id
        for question in survey.question_ids:
            if question.logistics_measure == "recommend":
                answer._save_lines(question, "9")
            elif question.logistics_measure != "comment":
                answer._save_lines(question, "4")
        answer._mark_done()
        self.assertEqual(mine.state, "answered")
        self.assertEqual(mine.nps_category, "promoter")
        self.assertTrue(account.survey_score)
        Account._update_health(policy, today)
        self.assertEqual(account.health_survey_score, account.survey_score)
        policy.invalidate_recordset()
        self.assertGreaterEqual(policy.dashboard_nps_answers, 1)
