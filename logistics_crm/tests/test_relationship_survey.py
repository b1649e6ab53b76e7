from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD

from .common import LogisticsTierCase

TODAY = date(2026, 11, 15)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestRelationshipSurvey(LogisticsTierCase):
    """Relationship surveys: sent per grade cadence and on demand, answers turned
    into NPS, service quality and the health score."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the survey's administrator (19.0's accounting test user has no survey
        # group; 18.0's had every default group)
        cls.env.user[GROUPS_FIELD] |= cls.env.ref("survey.group_survey_manager")
        # 20 ranked customers: 1 A, 3 B, 16 C (5% / 15% / the rest)
        cls.customers = cls._customers(20, prefix="Survey", customer_rank=1)
        for index, customer in enumerate(cls.customers):
            customer.email = f"buyer{index}@survey.example.com"
            cls._invoice(customer, 1000.0 * (20 - index), "2026-10-01")
        cls.policy._recompute_tiers()
        cls.top = cls.customers[0]
        cls.Account = cls.env["logistics.customer.tier"]
        cls.survey = cls.env.ref("logistics_crm.survey_relationship")
        cls.policy.survey_id = cls.survey

    def surveys(self, partners=None):
        domain = [("partner_id", "in", (partners or self.customers).ids)]
        return self.env["logistics.relationship.survey"].search(domain)

    def answer(self, relationship_survey, recommend, quality, comment=None):
        """The customer answers: every dimension at `quality`, then submits."""
        answer = relationship_survey.sudo().user_input_id
        for question in self.survey.question_ids:
            measure = question.logistics_measure
            if measure == "recommend":
                answer._save_lines(question, str(recommend))
            elif measure == "comment":
                if comment:
                    answer._save_lines(question, comment)
            else:
                answer._save_lines(question, str(quality))
        answer._mark_done()

    def test_sent_per_grade_cadence_once(self):
        sent = self.policy._send_due_surveys(TODAY)
        self.assertEqual(
            sorted(set(sent.mapped("tier"))), ["A", "B"], "C customers get no survey"
        )
        self.assertEqual(len(sent), 4)
        self.assertEqual(sent.partner_id, self.customers[:4])
        self.assertEqual(sent.contact_id, self.customers[:4])
        top = sent.filtered(lambda s: s.partner_id == self.top)
        self.assertEqual(
            top.manager_id, self._tier_row(self.top).key_account_manager_id
        )
        # one email each, with the customer's own answer token
        mail = self.env["mail.mail"].search(
            [("model", "=", "logistics.relationship.survey"), ("res_id", "=", top.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(top.sudo().user_input_id.access_token, mail.body_html)
        self.assertEqual(mail.recipient_ids, self.top)
        # the same day and eleven months later: nothing new; twelve months: again
        self.assertFalse(self.policy._send_due_surveys(TODAY))
        self.assertFalse(self.policy._send_due_surveys(date(2027, 10, 15)))
        self.assertEqual(len(self.policy._send_due_surveys(date(2027, 11, 15))), 4)

    def test_daily_limit_and_who_is_skipped(self):
        self.policy.survey_daily_limit = 2
        first = self.policy._send_due_surveys(TODAY)
        self.assertEqual(first.partner_id, self.customers[:2], "highest value first")
        # lost customers and customers nobody can be asked at are not due
        self._tier_row(self.customers[2])._mark_lost(
            self.env.ref("logistics_crm.logistics_churn_reason_price"), TODAY
        )
        self.customers[3].email = False
        self.assertFalse(self.policy._send_due_surveys(TODAY))
        # a contact with an email is asked in place of the company
        buyer = self.env["res.partner"].create(
            {
                "name": "Buyer",
                "parent_id": self.customers[3].id,
                "email": "buyer@contact.example.com",
            }
        )
        self.assertEqual(self.policy._send_due_surveys(TODAY).contact_id, buyer)
        with self.assertRaises(ValidationError):
            self.policy.survey_daily_limit = -1
        with self.assertRaises(ValidationError):
            self.policy.grade_ids[:1].survey_interval_months = -1

    def test_answers_give_nps_quality_and_health(self):
        sent = self.policy._send_due_surveys(TODAY)
        by_partner = {s.partner_id: s for s in sent}
        self.answer(by_partner[self.customers[0]], 10, 5, "Faster customs papers")
        self.answer(by_partner[self.customers[1]], 9, 4)
        self.answer(by_partner[self.customers[2]], 3, 2)
        top = by_partner[self.customers[0]]
        self.assertEqual(top.state, "answered")
        self.assertEqual(top.answered_date, TODAY)
        self.assertEqual(top.nps_category, "promoter")
        self.assertEqual(top.service_quality, 5.0)
        self.assertEqual(top.reliability, 5.0)
        self.assertEqual(top.comment, "Faster customs papers")
        low = by_partner[self.customers[2]]
        self.assertEqual(low.nps_category, "detractor")
        self.assertEqual(low.recommend_score, 3)
        # NPS of the answers: 2 promoters, 1 detractor of 3 -> 33.3
        [(nps,)] = self.env["logistics.relationship.survey"]._read_group(
            [("id", "in", sent.ids), ("state", "=", "answered")],
            [],
            ["nps_value:avg"],
        )
        self.assertAlmostEqual(nps, 100.0 / 3, places=1)
        # the last score feeds the account and its health
        account = self._tier_row(self.customers[2])
        self.assertEqual(account.survey_recommend_score, 3)
        self.assertEqual(account.survey_score, 27.5)  # mean of 30 and 25
        self.Account._update_health(self.policy, TODAY)
        partner = self.customers[2].with_company(self.company)
        self.assertEqual(partner.health_survey_score, 27.5)
        self.assertEqual(partner.survey_score, 27.5)
        self.assertEqual(partner.survey_date, TODAY)
        unanswered = self.customers[3].with_company(self.company)
        self.assertEqual(unanswered.health_survey_score, 0.0)
        self.assertFalse(self._tier_row(self.customers[3]).health_survey_score)

    def test_on_demand_from_the_customer(self):
        customer = self.customers[10]  # a C customer: no cadence, still on demand
        customer.key_account_manager_id = self.rep
        action = customer.with_user(self.rep).action_send_relationship_survey()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.surveys(customer).tier, "C")
        customer.email = False
        with self.assertRaises(UserError):
            customer.with_user(self.rep).action_send_relationship_survey()
        # an archived survey: the nightly run sends nothing and does not fail,
        # on demand says why
        customer.email = "back@survey.example.com"
        self.survey.active = False
        self.assertFalse(self.policy._send_due_surveys(TODAY))
        with self.assertRaisesRegex(UserError, "No relationship survey"):
            customer.with_user(self.rep).action_send_relationship_survey()

    def test_surveys_are_private(self):
        self.policy._send_due_surveys(TODAY)
        portal = new_test_user(
            self.env, login="lcrm_survey_portal", groups="base.group_portal"
        )
        employee = new_test_user(
            self.env, login="lcrm_survey_employee", groups="base.group_user"
        )
        for user in (portal, employee):
            with self.assertRaises(AccessError):
                self.surveys().with_user(user).read(["nps_value"])
            with self.assertRaises(AccessError):
                self.top.with_user(user).read(["survey_score"])
        # a rep reads the figures but cannot open the survey's raw answers
        self.top.key_account_manager_id = self.rep
        survey = self.surveys(self.top).with_user(self.rep)
        self.assertEqual(survey.read(["state"])[0]["state"], "sent")
        self.assertNotIn("user_input_id", survey.fields_get())
        # another company's surveys stay there
        other = self.env["res.company"].create({"name": "Survey Other Co"})
        self.env.ref("base.user_admin").company_ids |= other
        self.assertFalse(
            self.env["logistics.relationship.survey"]
            .with_company(other)
            .with_context(allowed_company_ids=other.ids)
            .search([("id", "in", self.surveys().ids)])
        )
