from odoo.tests import tagged

from .common import LogisticsTicketCase


@tagged("post_install", "-at_install")
class TestTicketRating(LogisticsTicketCase):
    def test_rating_requested_on_close_and_shown(self):
        ticket = self._ticket()
        self.assertFalse(ticket.rating_ids)
        ticket.stage_id = self.stage_resolved
        self.assertFalse(ticket.rating_ids, "resolved is not closed for the customer")
        ticket.stage_id = self.stage_closed
        rating = ticket.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.contact)
        self.assertEqual(rating.rated_partner_id, self.rep.partner_id)
        request = ticket.message_ids.filtered(
            lambda m: rating.access_token in (m.body or "")
        )
        self.assertTrue(request, "the rating request carries the rating links")

        ticket.rating_apply(5, token=rating.access_token, feedback="Quick and kind")
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(self.team.ticket_rating_avg, 5)
        self.assertEqual(self.customer.ticket_rating_avg, 5)
        self.assertEqual(self.contact.ticket_rating_avg, 5)

    def test_rating_page_accepts_the_token(self):
        ticket = self._ticket(stage_id=self.stage_resolved.id)
        ticket.stage_id = self.stage_closed
        token = ticket.rating_ids.access_token
        ticket.rating_apply(1, token=token)
        self.team.invalidate_recordset()
        self.assertEqual(self.team.ticket_rating_avg, 1)
