from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestTicketPortalMultiCompany(NoReadWriteRetryMixin, HttpCase):
    """A portal ticket lands in the customer's company, with that company's setup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "LCRM Portal B"})
        cls.env.user.company_ids |= cls.company_b
        Team = cls.env["logistics.ticket.team"]
        cls.team_a = Team.create({"name": "Desk A", "company_id": cls.company_a.id})
        cls.team_b = Team.create({"name": "Desk B", "company_id": cls.company_b.id})
        Type = cls.env["logistics.ticket.type"]
        cls.type_a = Type.create(
            {"name": "Type only A", "company_id": cls.company_a.id}
        )
        cls.type_b = Type.create(
            {"name": "Type only B", "company_id": cls.company_b.id}
        )
        cls.stage_b = cls.env["logistics.ticket.stage"].create(
            {"name": "Received by B", "sequence": -100, "company_id": cls.company_b.id}
        )
        Partner = cls.env["res.partner"]
        # shared by both companies
        cls.shared = Partner.create({"name": "Shared Shipper", "is_company": True})
        # a customer of company B only
        cls.bound_b = Partner.create(
            {
                "name": "B's Own Shipper",
                "is_company": True,
                "company_id": cls.company_b.id,
            }
        )
        cls.user_shared_a = cls._portal_user(
            "lcrm_mc_shared_a", cls.shared, cls.company_a, cls.company_a
        )
        cls.user_shared_b = cls._portal_user(
            "lcrm_mc_shared_b", cls.shared, cls.company_b, cls.company_b
        )
        # invited from company A, allowed in both, works for a customer of B
        cls.user_bound_b = cls._portal_user(
            "lcrm_mc_bound_b", cls.bound_b, cls.company_a, cls.company_a | cls.company_b
        )

    @classmethod
    def _portal_user(cls, login, customer, company, companies):
        user = new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            company_id=company.id,
            company_ids=[Command.set(companies.ids)],
        )
        user.partner_id.parent_id = customer
        return user

    def _submit(self, user, title, **data):
        self.authenticate(user.login, user.login)
        response = self.url_open(
            "/my/logistics/tickets/submit",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "name": title,
                "description": "Reefer alarm during transit.",
                **data,
            },
        )
        self.assertEqual(response.status_code, 200)
        return response, self.env["logistics.ticket"].search([("name", "=", title)])

    def test_shared_customer_lands_in_the_portal_users_company(self):
        response, ticket = self._submit(
            self.user_shared_b, "Shared via B", type_id=str(self.type_b.id)
        )
        self.assertEqual(len(ticket), 1)
        self.assertIn("Shared via B", response.text)
        self.assertEqual(ticket.company_id, self.company_b)
        self.assertEqual(ticket.team_id, self.team_b)
        self.assertEqual(ticket.type_id, self.type_b)
        self.assertEqual(ticket.stage_id, self.stage_b)
        self.assertEqual(ticket.number.split("/")[0], "TCK")

        _response, ticket = self._submit(self.user_shared_a, "Shared via A")
        self.assertEqual(ticket.company_id, self.company_a)
        self.assertEqual(ticket.team_id, self.team_a)
        self.assertNotEqual(ticket.stage_id, self.stage_b)

    def test_customer_bound_to_a_company_lands_there(self):
        self.authenticate(self.user_bound_b.login, self.user_bound_b.login)
        form = self.url_open("/my/logistics/tickets/new")
        self.assertIn("Type only B", form.text)
        self.assertNotIn("Type only A", form.text)
        response, ticket = self._submit(
            self.user_bound_b, "Bound to B", type_id=str(self.type_b.id)
        )
        self.assertEqual(len(ticket), 1)
        self.assertIn("Bound to B", response.text)
        self.assertEqual(ticket.company_id, self.company_b)
        self.assertEqual(ticket.team_id, self.team_b)
        self.assertEqual(ticket.stage_id, self.stage_b)
        # the user follows it in the portal although invited from company A
        listing = self.url_open("/my/logistics/tickets")
        self.assertIn("Bound to B", listing.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["logistics_ticket_count"]}
        )
        self.assertEqual(counters["logistics_ticket_count"], 1)
        page = self.url_open(f"/my/logistics/tickets/{ticket.id}")
        self.assertEqual(page.status_code, 200)

    def test_type_of_another_company_is_refused(self):
        response, ticket = self._submit(
            self.user_shared_a, "Wrong type", type_id=str(self.type_b.id)
        )
        self.assertFalse(ticket)
        self.assertIn("error=type", response.url)
        self.assertIn("alert-danger", response.text)
