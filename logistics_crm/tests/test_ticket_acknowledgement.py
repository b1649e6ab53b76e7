from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD, ODOO_19

from .common import LogisticsTicketCase

# Monday 08:00 UTC = 16:00 in Shanghai; a 4-hour response on a 9-17 UTC calendar
# is due at 13:00 UTC = 21:00 in Shanghai
MONDAY_8AM = "2026-11-16 08:00:00"


@tagged("post_install", "-at_install")
@freeze_time(MONDAY_8AM)
class TestTicketAcknowledgement(LogisticsTicketCase):
    """Customers who write in learn their ticket number, when to expect the first
    answer in their own time and where to follow the ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.write(
            {
                "email": "tess@shipper.example.com",
                "tz": "Asia/Shanghai",
                "lang": "en_US",
            }
        )

    def acknowledgements(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: "We received your request" in (m.subject or "")
        )

    def test_portal_ticket_is_acknowledged_in_local_time(self):
        ticket = self._ticket(channel="portal", user_id=False)
        self.assertEqual(
            str(ticket.sla_response_deadline), "2026-11-16 13:00:00", "UTC"
        )
        message = self.acknowledgements(ticket)
        self.assertEqual(len(message), 1)
        self.assertIn(ticket.number, message.subject)
        self.assertEqual(message.partner_ids, self.contact)
        # the language's date and short time: to the minute, no seconds (19.0
        # gave English a 12-hour clock)
        self.assertIn(
            "11/16/2026 09:00 PM<" if ODOO_19 else "11/16/2026 21:00<", message.body
        )
        self.assertIn(f"access_token={ticket.access_token}", message.body)
        # emailed to the customer, not only logged
        emailed = message.notification_ids.filtered(
            lambda n: n.notification_type == "email"
        )
        self.assertEqual(emailed.res_partner_id, self.contact)

    def test_deadline_reads_to_the_minute_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.contact.lang = "zh_CN"
        ticket = self._ticket(channel="portal", user_id=False)
        # 19.0 writes Chinese dates and times with digits only
        self.assertEqual(
            ticket._acknowledgement_deadline(),
            "2026/11/16 21:00" if ODOO_19 else "2026年11月16日 21时00分",
        )

    def test_portal_user_gets_the_acknowledgement_emailed(self):
        portal = self.env["res.users"].create(
            {
                "name": "Tess Portal",
                "login": "lcrm_ack_portal",
                "email": "tess.portal@shipper.example.com",
                "partner_id": self.contact.id,
                GROUPS_FIELD: [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        # as the portal controller does: sudo, the portal user still current
        ticket = (
            self.env["logistics.ticket"]
            .with_user(portal)
            .sudo()
            .create(
                {
                    "name": "Portal question",
                    "partner_id": self.contact.id,
                    "channel": "portal",
                    "team_id": self.team.id,
                    "user_id": False,
                }
            )
        )
        message = self.acknowledgements(ticket)
        emailed = message.notification_ids.filtered(
            lambda n: n.notification_type == "email"
        )
        self.assertEqual(emailed.res_partner_id, self.contact)
        self.assertEqual(message.message_type, "auto_comment")

    def test_email_ticket_is_acknowledged(self):
        ticket = self.env["logistics.ticket"].message_new(
            {
                "subject": "Container delayed",
                "body": "<p>Where is it?</p>",
                "email_from": "Tess <tess@shipper.example.com>",
                "from": "Tess <tess@shipper.example.com>",
                "to": "service@example.com",
                "message_id": "<ack-test@example.com>",
            },
            custom_values={"team_id": self.team.id},
        )
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(len(self.acknowledgements(ticket)), 1)

    def test_phone_tickets_and_customers_without_email_get_none(self):
        self.assertFalse(self.acknowledgements(self._ticket(channel="phone")))
        self.contact.email = False
        self.assertFalse(self.acknowledgements(self._ticket(channel="portal")))
