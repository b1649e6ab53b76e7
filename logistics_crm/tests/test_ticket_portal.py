import re

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestTicketPortal(NoReadWriteRetryMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Portal Shipper", "is_company": True}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Someone Else Ltd", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env, login="lcrm_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.colleague = cls.env["res.partner"].create(
            {"name": "Colleague", "parent_id": cls.customer.id}
        )
        Ticket = cls.env["logistics.ticket"]
        cls.own = Ticket.create(
            {"name": "Own pallet question", "partner_id": cls.colleague.id}
        )
        cls.other = Ticket.create(
            {"name": "Secret other claim", "partner_id": cls.other_customer.id}
        )
        cls.stage_resolved = cls.env.ref(
            "logistics_crm.logistics_ticket_stage_resolved"
        )
        cls.stage_closed = cls.env.ref("logistics_crm.logistics_ticket_stage_closed")

    def test_public_is_sent_to_login(self):
        for url in ("/my/logistics/tickets", f"/my/logistics/tickets/{self.own.id}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])

    def test_portal_user_sees_own_company_tickets_only(self):
        self.authenticate("lcrm_portal", "lcrm_portal")
        response = self.url_open("/my/logistics/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Own pallet question", response.text)
        self.assertNotIn("Secret other claim", response.text)
        response = self.url_open(f"/my/logistics/tickets/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Own pallet question", response.text)
        response = self.url_open(f"/my/logistics/tickets/{self.other.id}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Secret other claim", response.text)
        response = self.url_open("/my/logistics/tickets/999999999")
        self.assertEqual(response.status_code, 404)

    def test_home_counter(self):
        self.authenticate("lcrm_portal", "lcrm_portal")
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["logistics_ticket_count"]}
        )
        self.assertEqual(result["logistics_ticket_count"], 1)

    def test_submit_ticket_with_attachment(self):
        self.authenticate("lcrm_portal", "lcrm_portal")
        response = self.url_open(
            "/my/logistics/tickets/submit",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "name": "Damaged boxes",
                "description": "Three boxes arrived wet.",
                "tracking_number": "WB-1234",
                "type_id": str(
                    self.env.ref("logistics_crm.logistics_ticket_type_damage").id
                ),
            },
            files={"attachment": ("photo.txt", b"wet boxes", "text/plain")},
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["logistics.ticket"].search([("name", "=", "Damaged boxes")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.portal_user.partner_id)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.tracking_number, "WB-1234")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "logistics.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "photo.txt")

    def test_paths_of_other_service_desks_are_left_alone(self):
        # Odoo's helpdesk and OCA's helpdesk_mgmt serve /my/tickets
        self.authenticate("lcrm_portal", "lcrm_portal")
        response = self.url_open(f"/my/tickets/{self.own.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Own pallet question", response.text)
        self.assertEqual(self.own.access_url, f"/my/logistics/tickets/{self.own.id}")
        response = self.url_open("/my")
        self.assertIn('href="/my/logistics/tickets"', response.text)

    def test_submit_refuses_bad_input_with_a_message(self):
        self.authenticate("lcrm_portal", "lcrm_portal")
        other_company = self.env["res.company"].create({"name": "LCRM Elsewhere"})
        foreign_type = self.env["logistics.ticket.type"].create(
            {"name": "Foreign type", "company_id": other_company.id}
        )
        Ticket = self.env["logistics.ticket"]
        before = Ticket.search_count([])
        for data, error in (
            ({"name": "Only a title", "description": " "}, "missing"),
            (
                {"name": "T", "description": "D", "type_id": str(foreign_type.id)},
                "type",
            ),
            ({"name": "T", "description": "D", "type_id": "not-a-number"}, "type"),
        ):
            response = self.url_open(
                "/my/logistics/tickets/submit",
                data={"csrf_token": http.Request.csrf_token(self), **data},
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(f"/my/logistics/tickets/new?error={error}", response.url)
            self.assertIn("alert-danger", response.text)
        self.assertEqual(Ticket.search_count([]), before)

    def test_reply_and_close_resolved_ticket(self):
        self.own.message_subscribe(partner_ids=self.portal_user.partner_id.ids)
        self.authenticate("lcrm_portal", "lcrm_portal")
        response = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "logistics.ticket",
                "thread_id": self.own.id,
                "post_data": {"body": "Any news?", "message_type": "comment"},
            },
        )
        self.assertTrue(response)
        self.assertIn("Any news?", "".join(self.own.message_ids.mapped("body")))
        # an open ticket cannot be closed by the customer
        self.url_open(
            f"/my/logistics/tickets/{self.own.id}/close",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertFalse(self.own.is_closed)
        self.own.stage_id = self.stage_resolved
        self.url_open(
            f"/my/logistics/tickets/{self.own.id}/close",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(self.own.stage_id, self.stage_closed)
        # nor someone else's
        self.other.stage_id = self.stage_resolved
        response = self.url_open(
            f"/my/logistics/tickets/{self.other.id}/close",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.other.stage_id, self.stage_resolved)

    def test_portal_user_cannot_write(self):
        ticket = self.own.with_user(self.portal_user)
        self.assertEqual(ticket.name, "Own pallet question")
        with self.assertRaises(AccessError):
            ticket.write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.other.with_user(self.portal_user).read(["name"])

    def test_portal_user_reads_no_internal_ticket_field(self):
        self.own.root_cause = "warehouse"
        ticket = self.own.with_user(self.portal_user)
        internal = ["customer_tier", "key_account_manager_id", "root_cause"]
        for field in internal:
            with self.assertRaises(AccessError):
                ticket.read([field])
        self.assertFalse(set(internal) & set(ticket.fields_get()))
        self.assertFalse(set(internal) & set(ticket.read()[0]))
        # what the customer follows stays readable
        self.assertTrue(ticket.read(["number", "stage_id", "sla_resolution_deadline"]))

    def test_customer_rates_from_the_email_link(self):
        self.own.stage_id = self.stage_closed
        rating = self.own.rating_ids
        self.assertEqual(len(rating), 1)
        # a colleague of the rated contact follows the link while logged in
        self.authenticate("lcrm_portal", "lcrm_portal")
        response = self.url_open(f"/rate/{rating.access_token}/5")
        self.assertEqual(response.status_code, 200)
        response = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "rate": 5,
                "feedback": "Fast and friendly",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.own.rating_last_value, 5)
        self.assertEqual(self.own.rating_last_feedback, "Fast and friendly")


@tagged("post_install", "-at_install")
class TestTicketPortalToken(NoReadWriteRetryMixin, HttpCase):
    """Customers who only write emails open their ticket from its tokenized link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emailer = cls.env["res.partner"].create(
            {"name": "Mail Only Shipper", "email": "ops@mail-only.example.com"}
        )
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Stranger Freight", "email": "desk@stranger.example.com"}
        )
        cls.rep = new_test_user(
            cls.env,
            login="lcrm_token_rep",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        Ticket = cls.env["logistics.ticket"]
        cls.ticket = Ticket.create(
            {
                "name": "Container stuck in customs",
                "partner_id": cls.emailer.id,
                "user_id": cls.rep.id,
                "channel": "email",
            }
        )
        cls.other = Ticket.create(
            {"name": "Stranger's secret claim", "partner_id": cls.stranger.id}
        )
        cls.token = cls.ticket._portal_ensure_token()
        cls.other_token = cls.other._portal_ensure_token()
        cls.stage_resolved = cls.env.ref(
            "logistics_crm.logistics_ticket_stage_resolved"
        )
        cls.stage_closed = cls.env.ref("logistics_crm.logistics_ticket_stage_closed")

    def _open(self, token=None, ticket=None, **kw):
        url = f"/my/logistics/tickets/{(ticket or self.ticket).id}"
        if token is not None:
            url = f"{url}?access_token={token}"
        return self.url_open(url, allow_redirects=False, **kw)

    def test_good_token_shows_the_ticket_without_login(self):
        response = self._open(self.token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Container stuck in customs", response.text)
        self.assertIn(self.ticket.number, response.text)
        # the chatter gets the token to load and post messages
        self.assertIn(f'data-token="{self.token}"', response.text)

    def test_wrong_missing_or_foreign_token_shows_nothing(self):
        for token in (None, "", "not-the-token", self.other_token):
            with self.subTest(token=token):
                response = self._open(token)
                self.assertIn(response.status_code, (302, 303))
                self.assertIn("/web/login", response.headers["Location"])
                self.assertNotIn("Container stuck in customs", response.text)
        # nor does an unknown ticket tell it does not exist
        response = self.url_open(
            f"/my/logistics/tickets/999999999?access_token={self.token}",
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))

    def test_logged_in_user_with_wrong_token_is_refused(self):
        portal = new_test_user(
            self.env, login="lcrm_token_portal", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.stranger
        self.authenticate("lcrm_token_portal", "lcrm_token_portal")
        response = self._open(self.other_token)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Container stuck in customs", response.text)
        # their own ticket needs no token; the right token opens this one
        self.assertEqual(self._open(ticket=self.other).status_code, 200)
        self.assertEqual(self._open(self.token).status_code, 200)

    def test_post_in_chatter_with_the_token(self):
        self.authenticate(None, None)
        params = {
            "thread_model": "logistics.ticket",
            "thread_id": self.ticket.id,
            "post_data": {"body": "Documents attached", "message_type": "comment"},
        }
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/mail/message/post", dict(params, token=self.other_token)
            )
        self.make_jsonrpc_request("/mail/message/post", dict(params, token=self.token))
        message = self.ticket.message_ids.filtered(
            lambda m: "Documents attached" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.emailer)

    def test_close_resolved_ticket_with_the_token(self):
        self.ticket.stage_id = self.stage_resolved
        self.authenticate(None, None)
        csrf = http.Request.csrf_token(self)
        response = self.url_open(
            f"/my/logistics/tickets/{self.ticket.id}/close",
            data={"csrf_token": csrf, "access_token": self.other_token},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(self.ticket.stage_id, self.stage_resolved)
        response = self.url_open(
            f"/my/logistics/tickets/{self.ticket.id}/close",
            data={"csrf_token": csrf, "access_token": self.token},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.ticket.stage_id, self.stage_closed)
        note = self.ticket.message_ids.filtered(
            lambda m: "Closed by the customer" in (m.body or "")
        )
        self.assertEqual(note.author_id, self.emailer)

    def _mails_to_customer(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "logistics.ticket"),
                ("res_id", "=", self.ticket.id),
                ("recipient_ids", "in", self.emailer.ids),
            ]
        )

    def _follow_tokenized_link(self, mail):
        """The customer's email links the ticket with its token; following the
        link without an account opens the ticket."""
        links = [
            link.replace("&amp;", "&")
            for link in re.findall(r'href="([^"]+)"', mail.body_html)
            if f"access_token={self.token}" in link.replace("&amp;", "&")
        ]
        self.assertTrue(links, "no link with the ticket's token in the email")
        for link in links:
            path = "/" + link.split("/", 3)[3] if "://" in link else link
            response = self.url_open(path)
            self.assertEqual(response.status_code, 200)
            self.assertIn("Container stuck in customs", response.text)
            self.assertIn(f"/my/logistics/tickets/{self.ticket.id}", response.url)
        return links

    def test_answer_mailed_to_the_customer_links_with_the_token(self):
        # the ticket of setUpClass: 19.0 sends its acknowledgement after the
        # commit there (the test cursor never commits), so that email is queued
        acknowledgement = self._mails_to_customer()
        self.ticket.with_user(self.rep).with_context(
            mail_notify_force_send=False
        ).message_post(
            body="We are on it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        mail = self._mails_to_customer() - acknowledgement
        self.assertEqual(len(mail), 1)
        self._follow_tokenized_link(mail)

    def test_rating_request_links_the_ticket_with_the_token(self):
        self.ticket.stage_id = self.stage_closed
        mail = self._mails_to_customer().filtered(lambda m: "/rate/" in m.body_html)
        self.assertEqual(len(mail), 1)
        links = self._follow_tokenized_link(mail)
        template = self.env.ref("logistics_crm.mail_template_logistics_ticket_rating")
        if "get_portal_url" in template.body_html:
            # the body links the ticket too (noupdate: on fresh installs)
            ticket_url = f"/my/logistics/tickets/{self.ticket.id}?access_token="
            self.assertTrue(any(ticket_url in link for link in links))
