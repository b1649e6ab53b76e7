from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LogisticsTicketCase

MAIL = """Return-Path: <{email_from}>
From: {email_from}
To: {to}
Subject: {subject}
Message-ID: {msg_id}
{extra}Date: Mon, 09 Mar 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestTicketMailIntake(LogisticsTicketCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "lcrm-test.example.com"}
        )
        cls.env.company.alias_domain_id = cls.alias_domain
        cls.team.write(
            {"alias_name": "lcrm-desk", "alias_domain_id": cls.alias_domain.id}
        )
        cls.customer.email = "info@testshipper.example.com"
        cls.contact.email = "tess@testshipper.example.com"

    def _process(self, email_from, subject="Shipment late", body="Where is it?", **kw):
        raw = MAIL.format(
            email_from=email_from,
            to=kw.get("to", "lcrm-desk@lcrm-test.example.com"),
            subject=subject,
            msg_id=kw.get("msg_id", f"<{abs(hash((email_from, subject)))}@ext>"),
            extra=kw.get("extra", ""),
            body=body,
        )
        Ticket = self.env["logistics.ticket"]
        before = Ticket.search([])
        self.env["mail.thread"].message_process(None, raw)
        return Ticket.search([]) - before

    def test_alias_routes_to_the_team(self):
        self.assertEqual(self.team.alias_model_id.model, "logistics.ticket")
        self.assertIn("team_id", self.team.alias_defaults)

    def test_known_sender(self):
        ticket = self._process("Tess Contact <tess@testshipper.example.com>")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.name, "Shipment late")
        self.assertIn("Where is it?", ticket.description)
        self.assertIn(self.contact, ticket.message_partner_ids)

    def test_unknown_sender_of_known_domain(self):
        # matching customers by domain is a team's opt-in
        ticket = self._process("New Person <new.person@testshipper.example.com>")
        self.assertEqual(ticket.partner_id.name, "New Person")
        self.assertFalse(ticket.partner_id.parent_id)
        self.team.match_customer_by_domain = True
        ticket = self._process("Other Person <other.person@testshipper.example.com>")
        self.assertEqual(ticket.partner_id.parent_id, self.customer)
        self.assertEqual(ticket.commercial_partner_id, self.customer)

    def test_unknown_sender_of_unknown_domain(self):
        ticket = self._process("stranger@elsewhere.example.org")
        self.assertTrue(ticket.partner_id)
        self.assertFalse(ticket.partner_id.parent_id)
        self.assertEqual(ticket.partner_id.email, "stranger@elsewhere.example.org")

    def test_reply_threads_into_ticket(self):
        ticket = self._process(
            "tess@testshipper.example.com", msg_id="<first-lcrm@ext>"
        )
        ticket.stage_id = self.stage_waiting
        self.assertTrue(ticket.sla_paused_since)
        new = self._process(
            "tess@testshipper.example.com",
            subject="Re: Shipment late",
            body="Here are the documents",
            msg_id="<second-lcrm@ext>",
            extra="In-Reply-To: <first-lcrm@ext>\nReferences: <first-lcrm@ext>\n",
        )
        self.assertFalse(new, "a reply must not open a new ticket")
        self.assertIn(
            "Here are the documents", "".join(ticket.message_ids.mapped("body"))
        )
        # the customer answered: the clock runs again
        self.assertFalse(ticket.sla_paused_since)
        self.assertFalse(ticket.stage_id.pauses_sla)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_malformed_mails(self):
        ticket = self._process("not an address", subject="", body="")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "(no subject)")
        self.assertFalse(ticket.partner_id)
        # no sender at all
        raw = (
            "To: lcrm-desk@lcrm-test.example.com\n"
            "Message-ID: <nofrom-lcrm@ext>\n"
            "Subject: =?utf-8?q?broken?=\n\n"
        )
        before = self.env["logistics.ticket"].search([])
        self.env["mail.thread"].message_process(None, raw)
        created = self.env["logistics.ticket"].search([]) - before
        self.assertEqual(len(created), 1)
        # a mail for no alias is refused with a clean error, not a traceback
        with self.assertRaises(ValueError):
            self.env["mail.thread"].message_process(
                None,
                MAIL.format(
                    email_from="a@b.example.com",
                    to="nobody@nowhere.example.net",
                    subject="x",
                    msg_id="<lost-lcrm@ext>",
                    extra="",
                    body="x",
                ),
            )
