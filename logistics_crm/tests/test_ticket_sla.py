from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTicketCase

# 2026-03-06 is a Friday
FRIDAY_3PM = datetime(2026, 3, 6, 15, 0)
MONDAY_9AM = datetime(2026, 3, 9, 9, 0)


@tagged("post_install", "-at_install")
class TestTicketSla(LogisticsTicketCase):
    def test_number_from_company_sequence(self):
        first, second = self._ticket(), self._ticket()
        self.assertTrue(first.number.startswith("TCK/"))
        self.assertNotEqual(first.number, second.number)

    def test_deadlines_skip_nights_and_weekends(self):
        with freeze_time(FRIDAY_3PM):
            ticket = self._ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        # 2 h on Friday, 2 h on Monday morning
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 3, 9, 11, 0))
        # 2 h Friday + 8 h Monday + 6 h Tuesday
        self.assertEqual(ticket.sla_resolution_deadline, datetime(2026, 3, 10, 15, 0))

    def test_company_calendar_without_team(self):
        self.env.company.resource_calendar_id = self.calendar
        with freeze_time(FRIDAY_3PM):
            ticket = self._ticket(team_id=False)
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 3, 9, 11, 0))

    def test_pause_pushes_deadlines(self):
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket()
        self.assertEqual(ticket.sla_resolution_deadline, datetime(2026, 3, 10, 17, 0))
        with freeze_time(datetime(2026, 3, 9, 10, 0)):
            ticket.with_user(self.rep).message_post(
                body="We are on it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.first_response_date, datetime(2026, 3, 9, 10, 0))
        with freeze_time(datetime(2026, 3, 9, 13, 0)):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(ticket.sla_paused_since, datetime(2026, 3, 9, 13, 0))
        with freeze_time(datetime(2026, 3, 10, 10, 0)):
            ticket.stage_id = self.stage_progress
        # paused Monday 13-17 and Tuesday 9-10: 5 working hours
        self.assertFalse(ticket.sla_paused_since)
        self.assertAlmostEqual(ticket.sla_paused_hours, 5.0)
        self.assertEqual(ticket.sla_resolution_deadline, datetime(2026, 3, 11, 14, 0))
        # the response came before the pause: its deadline does not move
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 3, 9, 13, 0))
        with freeze_time(datetime(2026, 3, 11, 12, 0)):
            ticket.stage_id = self.stage_resolved
        self.assertEqual(ticket.sla_status, "met")
        self.assertTrue(ticket.sla_met)
        # Mon 9-17 + Tue 9-17 + Wed 9-12 = 19 h, minus 5 h paused
        self.assertAlmostEqual(ticket.resolution_hours, 14.0)
        self.assertAlmostEqual(ticket.first_response_hours, 1.0)

    def test_most_specific_policy_wins(self):
        self._set_tier(self.customer, "A")
        Policy = self.env["logistics.sla.policy"]
        tier_a = Policy.create({"name": "A", "tier": "A", "response_hours": 2})
        tier_a_damage = Policy.create(
            {
                "name": "A damage",
                "tier": "A",
                "type_id": self.type_damage.id,
                "response_hours": 1,
                "sequence": 50,
            }
        )
        Policy.create(
            {
                "name": "A damage other team",
                "tier": "A",
                "type_id": self.type_damage.id,
                "team_id": self.other_team.id,
                "response_hours": 1,
            }
        )
        ticket = self._ticket(type_id=self.type_damage.id)
        self.assertEqual(ticket.customer_tier, "A")
        self.assertEqual(ticket.sla_policy_id, tier_a_damage)
        # changing a matching field recomputes the policy and the deadlines
        ticket.type_id = self.type_tracking
        self.assertEqual(ticket.sla_policy_id, tier_a)
        other = self._ticket(
            partner_id=self.env["res.partner"].create({"name": "X"}).id
        )
        self.assertEqual(other.sla_policy_id, self.policy)

    def test_priority_defaults_from_tier(self):
        self._set_tier(self.customer, "A")
        self.assertEqual(self._ticket().priority, "3")
        self.assertEqual(self._ticket(priority="0").priority, "0")
        plain = self.env["res.partner"].create(
            {"name": "No tier Ltd", "is_company": True}
        )
        self.assertEqual(self._ticket(partner_id=plain.id).priority, "1")
        self._set_tier(plain, "B")
        self.assertEqual(self._ticket(partner_id=plain.id).priority, "2")

    def test_status_at_risk_and_breached(self):
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket()
            # the status is stored when the ticket is written, at the frozen time
            self.assertEqual(ticket.sla_status, "on_track")
        with freeze_time(datetime(2026, 3, 9, 12, 30)):
            # 30 min left of the 4 h response target: below 25 %
            self.env["logistics.ticket"]._cron_sla_escalate()
            self.assertEqual(ticket.sla_status, "at_risk")

    def test_escalation_cron_runs_once(self):
        self.customer.key_account_manager_id = self.manager
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket(priority="1")
        self.assertIn(self.manager.partner_id, ticket.message_partner_ids)
        with freeze_time(datetime(2026, 3, 9, 14, 0)):
            self.env["logistics.ticket"]._cron_sla_escalate()
        self.assertTrue(ticket.sla_response_breached)
        self.assertTrue(ticket.sla_escalated)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.sla_status, "breached")
        self.assertEqual(ticket.sla_policy_id, self.policy)
        activities = ticket.activity_ids
        self.assertEqual(activities.user_id, self.leader | self.manager)
        with freeze_time(datetime(2026, 3, 12, 14, 0)):
            self.env["logistics.ticket"]._cron_sla_escalate()
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.activity_ids, activities)
        # the breach stays recorded after closing
        with freeze_time(datetime(2026, 3, 12, 15, 0)):
            ticket.stage_id = self.stage_closed
        self.assertTrue(ticket.sla_breached)
        self.assertEqual(ticket.sla_status, "breached")
        self.assertFalse(ticket.sla_met)

    def test_first_breach_is_kept(self):
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket()
        with freeze_time(datetime(2026, 3, 9, 14, 0)):
            self.env["logistics.ticket"]._cron_sla_escalate()
        # the response deadline (13:00) was missed
        self.assertEqual(ticket.sla_first_breach_date, datetime(2026, 3, 9, 13, 0))
        with freeze_time(datetime(2026, 3, 9, 15, 0)):
            ticket.with_user(self.rep).message_post(
                body="We are on it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        # the clock's next moment is the resolution deadline; the breach stays
        self.assertEqual(ticket.sla_breach_date, datetime(2026, 3, 10, 17, 0))
        self.assertEqual(ticket.sla_first_breach_date, datetime(2026, 3, 9, 13, 0))
        with freeze_time(datetime(2026, 3, 9, 16, 0)):
            ticket.stage_id = self.stage_closed
        self.assertFalse(ticket.sla_breach_date)
        self.assertEqual(ticket.sla_first_breach_date, datetime(2026, 3, 9, 13, 0))
        # closed late without the cron: the first target missed
        with freeze_time(MONDAY_9AM):
            late = self._ticket()
        with freeze_time(datetime(2026, 3, 16, 9, 0)):
            late.stage_id = self.stage_resolved
        self.assertEqual(late.sla_first_breach_date, datetime(2026, 3, 9, 13, 0))
        # on time: no breach
        with freeze_time(MONDAY_9AM):
            fine = self._ticket()
            fine.stage_id = self.stage_resolved
        self.assertFalse(fine.sla_first_breach_date)

    def test_paused_ticket_is_not_escalated(self):
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket()
            ticket.stage_id = self.stage_waiting
        with freeze_time(datetime(2026, 3, 12, 14, 0)):
            self.env["logistics.ticket"]._cron_sla_escalate()
        self.assertFalse(ticket.sla_breached)
        self.assertFalse(ticket.sla_escalated)

    def test_late_close_records_breach(self):
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket()
        with freeze_time(datetime(2026, 3, 16, 9, 0)):
            ticket.stage_id = self.stage_resolved
        self.assertTrue(ticket.sla_resolution_breached)
        self.assertTrue(ticket.sla_response_breached)
        self.assertEqual(ticket.sla_status, "breached")
        self.assertEqual(ticket.sla_compliance, 0.0)
