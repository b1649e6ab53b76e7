import threading
from concurrent.futures import ThreadPoolExecutor

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.logistics_crm.compat import Transaction


@tagged("post_install", "-at_install")
class TestTicketNumberConcurrency(TransactionCase):
    """Two first tickets of a company, opened at the same moment in two transactions.

    The transactions must see a committed company: it is created in a cursor of
    its own and removed, with everything the test made, at the end.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create({"name": "LCRM Concurrent Numbers"})
            self.company_id = company.id
            self.partner_id = company.partner_id.id
            self.calendar_id = company.resource_calendar_id.id
        self.addCleanup(self._remove_company)

    def _remove_company(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            company = env["res.company"].browse(self.company_id)
            env["logistics.ticket"].search([("company_id", "=", company.id)]).unlink()
            env["ir.sequence"].search([("company_id", "=", company.id)]).unlink()
            env["logistics.tier.policy"].search(
                [("company_id", "=", company.id)]
            ).unlink()
            company.unlink()
            env["resource.calendar"].browse(self.calendar_id).exists().unlink()
            env["res.partner"].browse(self.partner_id).exists().unlink()
        self.registry.clear_cache()

    def _forget_sequence(self):
        """A company created before sequences were made with the company."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].browse(self.company_id)
            sequence = company.logistics_ticket_sequence_id
            self.assertTrue(sequence, "created with the company")
            company.logistics_ticket_sequence_id = False
            sequence.unlink()

    def _open_first_tickets_concurrently(self):
        """Two transactions read the company, wait for each other, then each
        opens a ticket, retried on serialization failures as Odoo retries requests.

        :return: [(number, tries)] of both transactions
        """
        barrier = threading.Barrier(2)

        def open_ticket(name):
            """One transaction per try, as odoo.service.model.retrying runs a
            request again after a serialization failure (it cannot be used here:
            it looks the registry up by name)."""
            for tries in range(1, 6):
                try:
                    with self.registry.cursor() as cr:
                        # the test runner holds the registries' lock: a thread
                        # must not look its registry up by name either
                        cr.transaction = Transaction(self.registry)
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        # a bug here must fail the test, not hang the test run
                        cr.execute(SQL("SET LOCAL lock_timeout = '20s'"))
                        company = env["res.company"].browse(self.company_id)
                        if tries == 1:
                            # the first query takes the snapshot: both are taken
                            # before either transaction opened its ticket
                            self.assertTrue(company.exists())
                            barrier.wait(timeout=20)
                        ticket = (
                            env["logistics.ticket"]
                            .with_company(company)
                            .create(
                                {
                                    "name": name,
                                    "company_id": company.id,
                                    "user_id": False,
                                    "team_id": False,
                                }
                            )
                        )
                        number = ticket.number
                    return number, tries
                except SerializationFailure:
                    continue
            raise AssertionError("still failing after 5 tries")

        with (
            mute_logger("odoo.sql_db"),
            ThreadPoolExecutor(max_workers=2) as executor,
        ):
            futures = [executor.submit(open_ticket, f"First {i}") for i in (1, 2)]
            results = [future.result(timeout=60) for future in futures]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["logistics.ticket"].search(
                [("company_id", "=", self.company_id)]
            )
            self.assertEqual(len(tickets), 2, "both tickets were created")
            self.assertEqual(
                sorted(tickets.mapped("number")), sorted(n for n, _t in results)
            )
            sequences = env["ir.sequence"].search(
                [
                    ("code", "=", "logistics.ticket"),
                    ("company_id", "=", self.company_id),
                ]
            )
            self.assertEqual(len(sequences), 1, "one sequence per company")
        return results

    def test_company_created_with_its_sequence(self):
        results = self._open_first_tickets_concurrently()
        numbers = sorted(number for number, _tries in results)
        self.assertEqual(len(set(numbers)), 2)
        self.assertTrue(numbers[0].endswith("/00001"))
        self.assertTrue(numbers[1].endswith("/00002"))
        self.assertEqual([tries for _n, tries in results], [1, 1], "nobody waited")

    def test_company_without_sequence_creates_it_once(self):
        self._forget_sequence()
        results = self._open_first_tickets_concurrently()
        numbers = sorted(number for number, _tries in results)
        self.assertTrue(numbers[0].endswith("/00001"))
        self.assertTrue(numbers[1].endswith("/00002"))
        self.assertEqual(
            sorted(tries for _n, tries in results),
            [1, 2],
            "the second transaction is retried and finds the first one's sequence",
        )
