from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTicketCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-16 03:00:00")
class TestComplaintFollowup(LogisticsTicketCase):
    def followups(self, tickets):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "logistics.ticket"),
                ("res_id", "in", tickets.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "logistics_crm.mail_activity_type_complaint_followup"
                    ).id,
                ),
            ]
        )

    def test_closed_complaint_gets_one_followup_call(self):
        self.env.company.partner_id.tz = "Asia/Shanghai"
        complaint = self._ticket(type_id=self.type_damage.id, root_cause="carrier")
        question = self._ticket()
        (complaint | question).write({"stage_id": self.stage_closed.id})
        activity = self.followups(complaint | question)
        self.assertEqual(activity.res_id, complaint.id, "tracking questions: none")
        self.assertEqual(activity.user_id, self.rep, "the handler without a manager")
        # 11:00 in Shanghai on the 16th, plus the policy's 3 days
        self.assertEqual(activity.date_deadline, date(2026, 11, 19))
        self.assertIn(complaint.number, activity.summary)
        # reopened and closed again: still one call
        complaint.stage_id = self.stage_progress
        complaint.stage_id = self.stage_closed
        self.assertEqual(len(self.followups(complaint)), 1)

    def test_no_followup_when_switched_off(self):
        policy = self.env["logistics.tier.policy"]._get_company_policy(self.env.company)
        policy.complaint_followup_days = 0
        complaint = self._ticket(type_id=self.type_complaint.id, root_cause="carrier")
        complaint.stage_id = self.stage_closed
        self.assertFalse(self.followups(complaint))
