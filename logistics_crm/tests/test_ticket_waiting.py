from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTicketCase


@tagged("post_install", "-at_install")
class TestTicketWaiting(LogisticsTicketCase):
    """A ticket waiting on its customer: one reminder, then closed with a note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "tess@shipper.example.com"
        cls.team.write({"waiting_reminder_days": 3, "waiting_close_days": 7})

    def reminders(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: "waiting for your answer" in (m.body or "")
        )

    def test_reminded_once_then_closed(self):
        with freeze_time("2026-11-02 09:00:00"):
            ticket = self._ticket()
            ticket.stage_id = self.stage_waiting
        Ticket = self.env["logistics.ticket"]
        with freeze_time("2026-11-04 10:00:00"):  # 2 days: too early
            Ticket._cron_waiting_tickets()
            self.assertFalse(self.reminders(ticket))
        with freeze_time("2026-11-05 10:00:00"):
            Ticket._cron_waiting_tickets()
            Ticket._cron_waiting_tickets()
            reminder = self.reminders(ticket)
            self.assertEqual(len(reminder), 1, "one reminder")
            self.assertEqual(reminder.partner_ids, self.contact)
            self.assertFalse(ticket.is_closed)
        with freeze_time("2026-11-12 11:00:00"):  # 7 days after the reminder
            Ticket._cron_waiting_tickets()
            self.assertTrue(ticket.is_closed)
            self.assertIn(
                "Closed automatically", "".join(ticket.message_ids.mapped("body"))
            )

    def test_a_portal_answer_takes_it_out_of_waiting(self):
        with freeze_time("2026-11-02 09:00:00"):
            ticket = self._ticket()
            ticket.stage_id = self.stage_waiting
        ticket.message_post(
            body="Here is the delivery note",
            author_id=self.contact.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(ticket.stage_id.pauses_sla)
        self.assertFalse(ticket.sla_paused_since)

    def test_an_answer_starts_over_and_complaints_wait_for_their_handler(self):
        with freeze_time("2026-11-02 09:00:00"):
            ticket = self._ticket()
            complaint = self._ticket(type_id=self.type_complaint.id)
            (ticket | complaint).write({"stage_id": self.stage_waiting.id})
        Ticket = self.env["logistics.ticket"]
        with freeze_time("2026-11-05 10:00:00"):
            Ticket._cron_waiting_tickets()
            self.assertTrue(ticket.waiting_reminder_date)
            # the customer answered: back in progress, then waiting again
            ticket.stage_id = self.stage_progress
            self.assertFalse(ticket.waiting_reminder_date)
        with freeze_time("2026-11-20 10:00:00"):
            Ticket._cron_waiting_tickets()
            self.assertFalse(ticket.is_closed, "not waiting any more")
            self.assertFalse(complaint.is_closed, "a complaint needs its root cause")
        # teams with the rule off: nothing
        self.team.waiting_reminder_days = 0
        with freeze_time("2026-11-02 09:00:00"):
            quiet = self._ticket()
            quiet.stage_id = self.stage_waiting
        with freeze_time("2026-12-01 09:00:00"):
            Ticket._cron_waiting_tickets()
            self.assertFalse(self.reminders(quiet))
