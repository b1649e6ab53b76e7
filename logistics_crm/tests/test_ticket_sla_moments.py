from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTicketCase, load_chinese

MONDAY_9AM = datetime(2026, 3, 9, 9, 0)
SLA_MODULE = "odoo.addons.logistics_crm.models.logistics_ticket_sla"


@tagged("post_install", "-at_install")
class TestTicketSlaMoments(LogisticsTicketCase):
    """The escalation selects tickets on stored moments, in bounded batches."""

    def _cron_call(self):
        """One call of Odoo's runner: the (done, remaining) it is told. Read
        where the job reports it: 19.0's report commits at once, which a test
        cursor refuses."""
        reported = []
        with patch(
            f"{SLA_MODULE}.notify_progress",
            lambda _env, done, remaining: reported.append((done, remaining)),
        ):
            self.env["logistics.ticket"]._cron_sla_escalate()
        (progress,) = reported
        return progress

    def test_moments_follow_the_open_targets(self):
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket()
        # response: 4 h target, at risk with 25 % (1 h) left
        self.assertEqual(ticket.sla_at_risk_date, datetime(2026, 3, 9, 12, 0))
        self.assertEqual(ticket.sla_breach_date, datetime(2026, 3, 9, 13, 0))
        with freeze_time(datetime(2026, 3, 9, 10, 0)):
            ticket.with_user(self.rep).message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        # answered: the resolution target (16 h, at risk after 12 h) is next
        self.assertEqual(ticket.sla_at_risk_date, datetime(2026, 3, 10, 13, 0))
        self.assertEqual(ticket.sla_breach_date, datetime(2026, 3, 10, 17, 0))
        with freeze_time(datetime(2026, 3, 9, 11, 0)):
            ticket.stage_id = self.stage_closed
        self.assertFalse(ticket.sla_breach_date)
        self.assertFalse(ticket.sla_at_risk_date)

    def test_closed_tickets_keep_their_deadlines(self):
        with freeze_time(MONDAY_9AM):
            closed, still_open = self._ticket(), self._ticket()
            closed.stage_id = self.stage_closed
        deadline = closed.sla_resolution_deadline
        self.policy.resolution_hours = 24
        self.assertEqual(closed.sla_resolution_deadline, deadline)
        self.assertEqual(still_open.sla_resolution_deadline, datetime(2026, 3, 11, 17))
        self.calendar.attendance_ids[:2].unlink()
        self.assertEqual(closed.sla_resolution_deadline, deadline)

    def test_cron_reads_only_due_tickets(self):
        with freeze_time(MONDAY_9AM):
            due = self._ticket()
            # warm the caches (references, models) the measured runs share
            self.env["logistics.ticket"]._cron_sla_escalate()

        def run_with(quiet_count):
            with freeze_time(datetime(2026, 3, 9, 12, 0)):
                # opened at noon: at risk only at 15:00
                for _i in range(quiet_count):
                    self._ticket()
                self.env.flush_all()
            with freeze_time(datetime(2026, 3, 9, 12, 30)):
                due.sla_status = "on_track"
                self.env.flush_all()
                before = self.env.cr.sql_log_count
                self.env["logistics.ticket"]._cron_sla_escalate()
                return self.env.cr.sql_log_count - before

        queries_5 = run_with(5)
        self.assertEqual(due.sla_status, "at_risk")
        queries_55 = run_with(50)
        self.assertEqual(queries_5, queries_55)

    def test_batches_until_nothing_is_due(self):
        with freeze_time(MONDAY_9AM):
            tickets = self.env["logistics.ticket"]
            for _i in range(5):
                tickets |= self._ticket()
        with (
            freeze_time(datetime(2026, 3, 9, 14, 0)),
            patch(f"{SLA_MODULE}.SLA_CRON_BATCH", 2),
        ):
            calls = [self._cron_call() for _i in range(4)]
        self.assertEqual(calls, [(2, 1), (2, 1), (1, 0), (0, 0)])
        self.assertTrue(all(tickets.mapped("sla_escalated")))

    def test_a_failing_company_does_not_stop_the_others(self):
        other_company = self.env["res.company"].create({"name": "Failing Freight"})
        with freeze_time(MONDAY_9AM):
            good = self._ticket()
            bad = self._ticket(
                team_id=False, user_id=False, company_id=other_company.id
            )
            bad.sla_response_breached = True
        ticket_class = type(self.env["logistics.ticket"])
        original = ticket_class._sla_process_due

        def process(tickets, now):
            if tickets.company_id == other_company:
                tickets.sudo().write({"priority": "0"})
                raise ValueError("broken calendar")
            return original(tickets, now)

        with (
            freeze_time(datetime(2026, 3, 9, 14, 0)),
            patch.object(ticket_class, "_sla_process_due", process),
            self.assertLogs(SLA_MODULE, level="ERROR") as logs,
        ):
            self.env["logistics.ticket"]._cron_sla_escalate()
        self.assertIn("Failing Freight", logs.output[0])
        self.assertTrue(good.sla_escalated)
        bad.invalidate_recordset()
        self.assertFalse(bad.sla_escalated)
        self.assertNotEqual(bad.priority, "0", "the failed part is rolled back")

    def test_escalation_activity_in_the_assignees_language(self):
        load_chinese(self.env)
        self.leader.lang = "zh_CN"
        with freeze_time(MONDAY_9AM):
            ticket = self._ticket()
        with freeze_time(datetime(2026, 3, 9, 14, 0)):
            self.env["logistics.ticket"]._cron_sla_escalate()
        activity = ticket.activity_ids.filtered(lambda a: a.user_id == self.leader)
        self.assertEqual(
            activity.summary, f"违反服务水平协议（SLA）：{ticket.display_name}"
        )
        # one note in the chatter tells the raise; no second tracking message
        notes = ticket.message_ids.filtered(
            lambda m: "priority raised" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertFalse(ticket.message_ids.tracking_value_ids)
