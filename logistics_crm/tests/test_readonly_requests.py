import io
import logging

import openpyxl

from odoo.fields import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.logistics_crm.compat import web_read_group_args

from .readonly_requests import NoReadWriteRetryMixin, ReadWriteRetryCollector

# the addon's reads served on a replica (server started with --db_replica_host)
READONLY_METHODS = [
    ("logistics.tier.policy", "get_manager_dashboard"),
    ("logistics.tier.policy", "action_open_dashboard"),
    ("logistics.tier.policy", "action_open_churn_report"),
    ("logistics.ticket", "action_open_credit_notes"),
    ("logistics.abc.export.wizard", "action_download"),
    ("logistics.sla.report.wizard", "action_download"),
    ("logistics.churn.export.wizard", "action_download"),
    ("logistics.visit.compliance.wizard", "action_download"),
]
READONLY_ROUTES = [
    "/my/logistics/tickets",
    "/my/logistics/tickets/page/2",
    "/my/logistics/tickets/1",
    "/my/logistics/tickets/new",
    "/logistics_crm/xlsx/logistics.abc.export.wizard/1",
]
# what writes stays on the primary
READWRITE_ROUTES = [
    "/my/logistics/tickets/1/close",
    "/my/logistics/tickets/submit",
]
XLSX_WIZARDS = [
    "logistics.abc.export.wizard",
    "logistics.sla.report.wizard",
    "logistics.churn.export.wizard",
    "logistics.visit.compliance.wizard",
]


@tagged("post_install", "-at_install")
class TestReadonlyEntryPoints(TransactionCase):
    def _route(self, path):
        rule, _args = (
            self.env["ir.http"]
            .routing_map()
            .bind("localhost")
            .match(
                path,
                method="POST" if path.endswith(("close", "submit")) else "GET",
                return_rule=True,
            )
        )
        return rule.endpoint.routing

    def test_methods_are_readonly(self):
        for model, method in READONLY_METHODS:
            with self.subTest(model=model, method=method):
                # what /web/dataset/call_kw and call_button look at
                function = getattr(type(self.env[model]), method)
                self.assertIs(getattr(function, "_readonly", False), True)
        for model in XLSX_WIZARDS:
            with self.subTest(model=model):
                # the button that stores the file on the wizard writes
                function = type(self.env[model]).action_export
                self.assertFalse(getattr(function, "_readonly", False))

    def test_routes_are_readonly_where_they_only_read(self):
        for path in READONLY_ROUTES:
            with self.subTest(path=path):
                self.assertIs(self._route(path)["readonly"], True)
        for path in READWRITE_ROUTES:
            with self.subTest(path=path):
                self.assertFalse(self._route(path)["readonly"])

    def test_tickets_have_a_token_from_creation(self):
        ticket = self.env["logistics.ticket"].create({"name": "Token at once"})
        self.assertTrue(ticket.access_token)
        copy = ticket.copy()
        self.assertTrue(copy.access_token)
        self.assertNotEqual(copy.access_token, ticket.access_token)
        # tickets from before: the module update gives them one
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE logistics_ticket SET access_token = NULL WHERE id = %s",
            [ticket.id],
        )
        ticket.invalidate_recordset(["access_token"])
        self.assertFalse(ticket.access_token)
        self.env["logistics.ticket"].init()
        ticket.invalidate_recordset(["access_token"])
        self.assertTrue(ticket.access_token)
        self.assertNotEqual(ticket.access_token, copy.access_token)


@tagged("post_install", "-at_install")
class TestReadonlyRequests(NoReadWriteRetryMixin, HttpCase):
    """The read-only entry points over HTTP, on Odoo's read-only test cursors: a
    write in any of them fails the test (NoReadWriteRetryMixin)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Replica Reads Co"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Replica Shipper", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="lcrm_ro_portal",
            groups="base.group_portal",
            lang="zh_CN" if cls.env["res.lang"]._lang_get("zh_CN") else "en_US",
            tz="Asia/Shanghai",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.manager = new_test_user(
            cls.env,
            login="lcrm_ro_manager",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Asia/Shanghai",
        )
        cls.rep = new_test_user(
            cls.env,
            login="lcrm_ro_rep",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # in the portal user's company
        cls.tickets = cls.env["logistics.ticket"].create(
            [
                {"name": f"Replica pallet question {i}", "partner_id": cls.customer.id}
                for i in range(3)
            ]
        )
        cls.env["logistics.sla.policy"].create(
            {
                "name": "Replica SLA",
                "company_id": cls.company.id,
                "response_hours": 4,
                "resolution_hours": 24,
            }
        )
        cls.env["logistics.ticket"].with_company(cls.company).create(
            {
                "name": "Replica company ticket",
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
            }
        )
        cls.policy = cls.env["logistics.tier.policy"]._get_company_policy(cls.company)

    def test_portal_list_and_pages_read_only(self):
        self.authenticate("lcrm_ro_portal", "lcrm_ro_portal")
        response = self.url_open("/my/logistics/tickets")
        self.assertEqual(response.status_code, 200)
        for ticket in self.tickets:
            self.assertIn(ticket.number, response.text)
        # the page after the list: the pager links its neighbours with tokens
        for ticket in self.tickets:
            response = self.url_open(f"/my/logistics/tickets/{ticket.id}")
            self.assertEqual(response.status_code, 200)
            self.assertIn(ticket.name, response.text)
        response = self.url_open("/my/logistics/tickets/new")
        self.assertEqual(response.status_code, 200)

    def test_a_page_that_writes_is_caught_and_replayed_on_the_primary(self):
        # a ticket without its token (as before the update): the list renders its
        # tokenized link, Odoo's portal mixin writes the token
        ticket = self.tickets[0]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE logistics_ticket SET access_token = NULL WHERE id = %s",
            [ticket.id],
        )
        ticket.invalidate_recordset(["access_token"])
        self.authenticate("lcrm_ro_portal", "lcrm_ro_portal")
        with self.assertReadWriteRetry() as caught:
            response = self.url_open("/my/logistics/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(caught.retries), 1)
        self.assertIn("/my/logistics/tickets", caught.retries[0])
        self.assertIn("read-only transaction", caught.retries[0])
        # replayed on a read/write cursor: the token is there now
        ticket.invalidate_recordset(["access_token"])
        self.assertTrue(ticket.access_token)
        self.assertIn(f"access_token={ticket.access_token}", response.text)

    def test_ticket_page_by_token_read_only(self):
        ticket = self.tickets[0]
        response = self.url_open(
            f"/my/logistics/tickets/{ticket.id}?access_token={ticket.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(ticket.name, response.text)

    def test_overview_read_only(self):
        self.authenticate("lcrm_ro_manager", "lcrm_ro_manager")
        figures = self.make_jsonrpc_request(
            "/web/dataset/call_kw/logistics.tier.policy/get_manager_dashboard",
            {
                "model": "logistics.tier.policy",
                "method": "get_manager_dashboard",
                "args": [],
                "kwargs": {"company_ids": self.company.ids},
            },
        )
        self.assertEqual(figures["company_ids"], self.company.ids)
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button/logistics.tier.policy/action_open_dashboard",
            {
                "model": "logistics.tier.policy",
                "method": "action_open_dashboard",
                "args": [self.policy.ids],
                "kwargs": {
                    "context": {"dashboard": "tickets", "sla_status": "breached"}
                },
            },
        )
        self.assertEqual(action["res_model"], "logistics.ticket")
        # the churn analysis: its button, then the report's pivot (a SQL view)
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button/logistics.tier.policy/action_open_churn_report",
            {
                "model": "logistics.tier.policy",
                "method": "action_open_churn_report",
                "args": [self.policy.ids],
                "kwargs": {},
            },
        )
        self.assertEqual(action["res_model"], "logistics.churn.report")
        groups = self.make_jsonrpc_request(
            "/web/dataset/call_kw/logistics.churn.report/web_read_group",
            {
                "model": "logistics.churn.report",
                "method": "web_read_group",
                "args": web_read_group_args(
                    action["domain"], ["company_id"], ["__count"]
                ),
                "kwargs": {},
            },
        )
        self.assertIn("groups", groups)
        # the overview's cards: kanban of the policies with their computed figures
        cards = self.make_jsonrpc_request(
            "/web/dataset/call_kw/logistics.tier.policy/web_search_read",
            {
                "model": "logistics.tier.policy",
                "method": "web_search_read",
                "args": [[("id", "=", self.policy.id)]],
                "kwargs": {
                    "specification": {
                        "dashboard_tickets_on_track": {},
                        "dashboard_tickets_at_risk": {},
                        "dashboard_tickets_breached": {},
                        "dashboard_health_grades": {},
                        "dashboard_worst_movers": {},
                    }
                },
            },
        )
        card = cards["records"][0]
        # the company's one open ticket, in whichever SLA state it is
        self.assertEqual(
            card["dashboard_tickets_on_track"]
            + card["dashboard_tickets_at_risk"]
            + card["dashboard_tickets_breached"],
            1,
        )

    def test_xlsx_exports_read_only(self):
        Wizard = self.env["logistics.abc.export.wizard"].with_user(self.manager)
        wizard = Wizard.create({"company_id": self.company.id})
        action = wizard.action_download()
        self.assertEqual(
            action["url"],
            f"/logistics_crm/xlsx/logistics.abc.export.wizard/{wizard.id}",
        )
        self.authenticate("lcrm_ro_manager", "lcrm_ro_manager")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn(
            f"abc_analysis_{self.company.id}.xlsx",
            response.headers["Content-Disposition"],
        )
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertTrue(book.active.max_row > 1)
        # nothing was stored on the wizard
        wizard.invalidate_recordset()
        self.assertFalse(wizard.file_data)
        for model in XLSX_WIZARDS[1:]:
            with self.subTest(model=model):
                other = self.env[model].with_user(self.manager).create({})
                response = self.url_open(other.action_download()["url"])
                self.assertEqual(response.status_code, 200)
                openpyxl.load_workbook(io.BytesIO(response.content))

    def test_xlsx_route_refuses_others(self):
        wizard = (
            self.env["logistics.abc.export.wizard"]
            .with_user(self.manager)
            .create({"company_id": self.company.id})
        )
        self.authenticate("lcrm_ro_rep", "lcrm_ro_rep")
        # another user's wizard, an unknown model, a model that is no export
        for url, codes in (
            (
                f"/logistics_crm/xlsx/logistics.abc.export.wizard/{wizard.id}",
                (403, 404),
            ),
            ("/logistics_crm/xlsx/no.such.model/1", (404,)),
            (f"/logistics_crm/xlsx/res.partner/{self.customer.id}", (404,)),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn(response.status_code, codes)
                self.assertNotIn(
                    "spreadsheetml", response.headers.get("Content-Type", "")
                )


@tagged("post_install", "-at_install")
class TestReadWriteRetryCollector(TransactionCase):
    def test_collects_only_retries(self):
        collector = ReadWriteRetryCollector()
        # records handed to the handler (not logged: the harness greps the logs)
        for args in (
            ("something else %s", ("too",)),
            (
                "%s, retrying with a read/write cursor",
                ("cannot execute UPDATE in a read-only transaction",),
            ),
        ):
            collector.handle(
                logging.LogRecord(
                    "odoo.http", logging.WARNING, __file__, 1, args[0], args[1], None
                )
            )
        self.assertEqual(len(collector.retries), 1)
        self.assertIn("cannot execute UPDATE", collector.retries[0])
