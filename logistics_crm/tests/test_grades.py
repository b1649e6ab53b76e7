import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestGrades(LogisticsTierCase):
    """Any number of grades, end to end: ranking, service per grade, SLA
    matching, visits, history, overview and export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 20 customers with distinct values, best first
        cls.customers = cls._customers(20, prefix="Rail", customer_rank=1)
        for i, customer in enumerate(cls.customers):
            cls._invoice(customer, 1000.0 * (20 - i), "2026-10-01")

    def grade_of(self, customers):
        return [self._tier_row(customer).tier for customer in customers]

    def counts(self):
        return [(g["code"], g["count"]) for g in self.policy.dashboard_grades]

    def test_railway_grades_end_to_end(self):
        self.policy.with_context(grade_template="railway").action_apply_grade_template()
        self.policy._recompute_tiers()
        # 5 / 15 / 30 % of 20 customers: 1, 3, 6, and D the other 10
        self.assertEqual(self.counts(), [("A", 1), ("B", 3), ("C", 6), ("D", 10)])
        self.assertEqual(self.grade_of(self.customers[3:5]), ["B", "C"])
        a_customer, c_customer, d_customer = (self.customers[i] for i in (0, 4, 19))
        self.assertEqual(d_customer.with_company(self.company).tier, "D")

        # service per grade: ticket priority, SLA policy of the grade
        sla_d = self.env["logistics.sla.policy"].create(
            {
                "name": "D: next day",
                "tier": "D",
                "response_hours": 24,
                "company_id": self.company.id,
            }
        )
        Ticket = self.env["logistics.ticket"].with_company(self.company)
        ticket_d = Ticket.create({"name": "Late wagon", "partner_id": d_customer.id})
        ticket_a = Ticket.create({"name": "Late wagon", "partner_id": a_customer.id})
        self.assertEqual(ticket_d.customer_tier, "D")
        self.assertEqual(ticket_d.sla_policy_id, sla_d)
        self.assertEqual((ticket_a.priority, ticket_d.priority), ("3", "1"))

        # visits per grade: C is visited every 180 days once it has a manager,
        # D never
        for customer in (a_customer, c_customer, d_customer):
            customer.with_company(self.company).key_account_manager_id = self.manager
        self.env["logistics.visit"]._schedule_visits(policy=self.policy)
        visits = self.env["logistics.visit"].search(
            [("partner_id", "in", self.customers.ids), ("is_scheduled", "=", True)]
        )
        self.assertEqual(
            sorted(visits.mapped("tier")), ["A", "C"], "A and C planned, D not"
        )

        # history moves follow the grade order, not the alphabet
        row = self._tier_row(d_customer)
        row._set_forced_tier("C", "Signed a yearly contract")
        row._set_forced_tier("A", "Strategic contract")
        row._set_forced_tier(False, False)
        directions = (
            self.env["logistics.tier.history"]
            .search([("partner_id", "=", d_customer.id)], order="id")
            .mapped("direction")
        )
        self.assertEqual(directions[-3:], ["up", "up", "down"])

        # the ABC export totals every grade
        wizard = self.env["logistics.abc.export.wizard"].create(
            {"company_id": self.company.id}
        )
        wizard.action_export()
        sheet = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.file_data))
        ).active
        totals = {
            row[0]: row[1]
            for row in sheet.iter_rows(values_only=True)
            if row and row[0] and isinstance(row[1], int | float)
        }
        self.assertEqual(totals["D – Occasional Customer"], 10)
        self.assertEqual(totals["A – Strategic Customer"], 1)

    def test_five_grades_of_a_managers_own(self):
        Grade = self.env["logistics.customer.grade"]
        grade_c = self.policy._service_level("C")
        grade_c.share_percent = 20  # still the last: its share waits for a next
        Grade.create(
            {"policy_id": self.policy.id, "code": "D", "name": "D", "sequence": 40}
        )
        Grade.create(
            {
                "policy_id": self.policy.id,
                "code": "S",
                "name": "S – Strategic",
                "sequence": 1,
                "share_percent": 5,
                "ticket_priority": "3",
            }
        )
        self.assertEqual(
            self.policy._grade_list()[0], ("S", "S – Strategic"), "best first"
        )
        self.policy._recompute_tiers()
        # limits 5, 10, 25, 45 % of 20 customers: 1, 1, 3, 4 and D the other 11
        self.assertEqual(
            self.counts(), [("S", 1), ("A", 1), ("B", 3), ("C", 4), ("D", 11)]
        )
        self.assertIn(
            "S 50, A 50, B 150, C 200; D: the other 550", self.policy.threshold_hint
        )
        # the ABC export and the history know the five grades
        wizard = self.env["logistics.abc.export.wizard"].create(
            {"company_id": self.company.id}
        )
        wizard.action_export()
        sheet = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.file_data))
        ).active
        self.assertIn(
            ("S – Strategic", 1),
            {row[:2] for row in sheet.iter_rows(values_only=True) if row},
        )
        self.assertEqual(
            self.env["logistics.tier.history"].search_count(
                [("company_id", "=", self.company.id), ("new_tier", "=", "S")]
            ),
            1,
        )
        # the key-account managers go to the grades that ask for one
        self.policy.manager_ids = [(0, 0, {"user_id": self.manager.id, "capacity": 50})]
        assigned, _left = self.policy._auto_assign_key_accounts(plan_visits=False)
        self.assertEqual(
            sorted(self.grade_of(assigned)), ["A", "B", "B", "B"], "S has no manager"
        )

    def test_grade_with_customers_keeps_its_code_and_stays(self):
        self.policy._recompute_tiers()
        grade_c = self.policy._service_level("C")
        with self.assertRaisesRegex(ValidationError, "cannot change"):
            grade_c.code = "G"
        with self.assertRaisesRegex(ValidationError, "still holds 16 customer"):
            grade_c.unlink()
        # renaming is free, and every label follows at once
        grade_c.name = "C – Basic Service"
        Account = self.env["logistics.customer.tier"].with_company(self.company)
        labels = dict(Account._fields["tier"]._description_selection(Account.env))
        self.assertEqual(labels["C"], "C – Basic Service")
        # an empty grade goes; its customers' grade was never dangling
        empty = self.env["logistics.customer.grade"].create(
            {
                "policy_id": self.policy.id,
                "code": "X",
                "name": "X",
                "sequence": 15,
                "share_percent": 1,
            }
        )
        empty.unlink()
        self.assertEqual(
            [code for code, _n in self.policy._grade_list()], ["A", "B", "C"]
        )

    def test_codes_must_be_the_companys_grades(self):
        customer = self.customers[0]
        self.policy._recompute_tiers()
        with self.assertRaisesRegex(ValidationError, "not one of the grades"):
            self._tier_row(customer)._set_forced_tier("D", "No such grade here")
        with self.assertRaisesRegex(ValidationError, "not one of the grades"):
            self.env["logistics.sla.policy"].create(
                {"name": "D", "tier": "D", "company_id": self.company.id}
            )
        self.assertEqual(self._tier_row(customer).tier, "A", "nothing changed")
