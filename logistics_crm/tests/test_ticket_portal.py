from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTicketPortal(HttpCase):
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
        for url in ("/my/tickets", f"/my/tickets/{self.own.id}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])

    def test_portal_user_sees_own_company_tickets_only(self):
        self.authenticate("lcrm_portal", "lcrm_portal")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Own pallet question", response.text)
        self.assertNotIn("Secret other claim", response.text)
        response = self.url_open(f"/my/tickets/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Own pallet question", response.text)
        response = self.url_open(f"/my/tickets/{self.other.id}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Secret other claim", response.text)
        response = self.url_open("/my/tickets/999999999")
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
            "/my/tickets/submit",
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
            f"/my/tickets/{self.own.id}/close",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertFalse(self.own.is_closed)
        self.own.stage_id = self.stage_resolved
        self.url_open(
            f"/my/tickets/{self.own.id}/close",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(self.own.stage_id, self.stage_closed)
        # nor someone else's
        self.other.stage_id = self.stage_resolved
        response = self.url_open(
            f"/my/tickets/{self.other.id}/close",
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
