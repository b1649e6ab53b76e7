from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 08:00:00")
class TestKeyAccounts(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam_1 = cls._logistics_user("lcrm_kam_1")
        cls.kam_2 = cls._logistics_user("lcrm_kam_2")
        cls.policy.manager_ids = [
            Command.create({"user_id": cls.kam_1.id, "capacity": 6}),
            Command.create({"user_id": cls.kam_2.id, "capacity": 3}),
        ]
        cls.customers = cls._customers(5, prefix="Account")
        CustomerTier = cls.env["logistics.customer.tier"]
        for customer, tier, value in zip(
            cls.customers, "AAABC", (500, 400, 300, 200, 100), strict=True
        ):
            CustomerTier.create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "computed_tier": tier,
                    "value": value,
                }
            )

    def test_auto_assignment_balances_load_and_respects_capacity(self):
        assigned, unassigned = self.policy._auto_assign_key_accounts()
        a1, a2, a3, b1, c1 = self.customers
        self.assertEqual(a1.key_account_manager_id, self.kam_1)
        self.assertEqual(a2.key_account_manager_id, self.kam_2)
        self.assertEqual(a3.key_account_manager_id, self.kam_1)
        self.assertFalse(b1.key_account_manager_id, "nobody has room for 2 points")
        self.assertFalse(c1.key_account_manager_id, "C needs no dedicated manager")
        self.assertEqual(unassigned, b1)
        self.assertEqual(assigned, a1 | a2 | a3)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", b1.id)]
        )
        self.assertEqual(activity.user_id, self.policy.responsible_user_id)
        history = a1.account_assignment_ids
        self.assertEqual(history.to_user_id, self.kam_1)
        self.assertIn("Automatic", history.reason)
        # run again: nobody reassigned, no duplicate activity
        self.policy._auto_assign_key_accounts()
        self.assertEqual(a1.key_account_manager_id, self.kam_1)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", b1.id)]
            ),
            1,
        )

    def test_existing_manager_is_never_replaced(self):
        a1 = self.customers[0]
        a1.key_account_manager_id = self.manager
        self.policy._auto_assign_key_accounts()
        self.assertEqual(a1.key_account_manager_id, self.manager)

    def test_assignment_history_is_kept(self):
        a1 = self.customers[0]
        a1.with_context(logistics_assignment_reason="New region").write(
            {"key_account_manager_id": self.kam_1.id}
        )
        a1.key_account_manager_id = self.kam_2
        history = a1.account_assignment_ids.sorted("id")
        self.assertEqual(len(history), 2)
        self.assertEqual(history[0].reason, "New region")
        self.assertEqual(
            (history[1].from_user_id, history[1].to_user_id), (self.kam_1, self.kam_2)
        )
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": a1.id})
        self.assertEqual(contact.key_account_manager_id, self.kam_2, "propagated")

    def test_handover_moves_everything_listed_and_nothing_else(self):
        a1, a2, a3, b1, _c1 = self.customers
        (a1 | a2).key_account_manager_id = self.kam_1
        b1.key_account_manager_id = self.kam_2
        Visit = self.env["logistics.visit"]
        Visit.create(
            {
                "partner_id": a1.id,
                "user_id": self.kam_1.id,
                "date": datetime(2026, 10, 1, 9, 0),
                "state": "done",
                "next_steps": "Send the cold-chain quote",
                "company_id": self.company.id,
            }
        )
        planned = Visit.create(
            {
                "partner_id": a1.id,
                "user_id": self.kam_1.id,
                "company_id": self.company.id,
            }
        )
        elsewhere = Visit.create(
            {
                "partner_id": b1.id,
                "user_id": self.kam_1.id,
                "company_id": self.company.id,
            }
        )
        activity = a2.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.kam_1.id, summary="Call"
        )
        ticket = self.env["logistics.ticket"].create(
            {"name": "Late container", "partner_id": a1.id, "user_id": self.kam_1.id}
        )
        other_activity = b1.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.kam_1.id, summary="Other"
        )
        wizard = self.env["logistics.account.handover.wizard"].create(
            {
                "from_user_id": self.kam_1.id,
                "to_user_id": self.kam_2.id,
                "reason": "Kam 1 leaves the company",
            }
        )
        wizard.action_handover()
        self.assertEqual((a1 | a2).key_account_manager_id, self.kam_2)
        self.assertEqual(planned.user_id, self.kam_2)
        self.assertEqual(activity.user_id, self.kam_2)
        self.assertEqual(ticket.user_id, self.kam_2, "open tickets follow")
        self.assertEqual(elsewhere.user_id, self.kam_1, "not one of the accounts")
        self.assertEqual(other_activity.user_id, self.kam_1)
        self.assertEqual(a3.key_account_manager_id.id, False)
        note = a1.message_ids.filtered(lambda m: "Handover" in (m.body or ""))[:1]
        self.assertTrue(note)
        self.assertIn("Send the cold-chain quote", note.body)
        self.assertIn("Late container", note.body)
        self.assertEqual(
            a1.account_assignment_ids.sorted("id")[-1].reason,
            "Kam 1 leaves the company",
        )

    def test_handover_of_selected_accounts_only(self):
        a1, a2 = self.customers[:2]
        (a1 | a2).key_account_manager_id = self.kam_1
        wizard = self.env["logistics.account.handover.wizard"].create(
            {
                "from_user_id": self.kam_1.id,
                "to_user_id": self.kam_2.id,
                "partner_ids": [Command.set(a2.ids)],
            }
        )
        wizard.action_handover()
        self.assertEqual(a1.key_account_manager_id, self.kam_1)
        self.assertEqual(a2.key_account_manager_id, self.kam_2)

    def test_handover_spread_by_load(self):
        a1, a2 = self.customers[:2]
        (a1 | a2).key_account_manager_id = self.manager
        self.policy.manager_ids = [
            Command.create({"user_id": self.manager.id, "capacity": 10})
        ]
        self.env["logistics.account.handover.wizard"].create(
            {"from_user_id": self.manager.id, "mode": "balance"}
        ).action_handover()
        self.assertEqual(
            {a1.key_account_manager_id, a2.key_account_manager_id},
            {self.kam_1, self.kam_2},
            "spread over the two other managers",
        )

    def test_handover_needs_a_target(self):
        self.customers[0].key_account_manager_id = self.kam_1
        wizard = self.env["logistics.account.handover.wizard"].create(
            {"from_user_id": self.kam_1.id}
        )
        with self.assertRaisesRegex(UserError, "Choose the manager"):
            wizard.action_handover()


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 08:00:00")
class TestKeyAccountHandoverMultiCompany(LogisticsTierCase):
    """Two companies share a customer: a handover touches one company's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "LCRM Handover B"})
        both = cls.company | cls.company_b
        cls.env.user.company_ids |= cls.company_b
        cls.kam_1 = cls._logistics_user("lcrm_mc_kam_1")
        cls.kam_2 = cls._logistics_user("lcrm_mc_kam_2")
        (cls.kam_1 | cls.kam_2).company_ids = [Command.set(both.ids)]
        cls.shared = cls._customers(1, prefix="Shared")
        cls.bound_b = cls._customers(1, prefix="Only B", company_id=cls.company_b.id)
        cls.shared.key_account_manager_id = cls.kam_1
        # the account team is per company: B's customer has its team in B
        cls.bound_b.with_company(cls.company_b).key_account_manager_id = cls.kam_1
        Visit = cls.env["logistics.visit"]
        Ticket = cls.env["logistics.ticket"]
        cls.records = {}
        for key, company in (("a", cls.company), ("b", cls.company_b)):
            Visit.create(
                {
                    "partner_id": cls.shared.id,
                    "user_id": cls.kam_1.id,
                    "date": datetime(2026, 10, 1, 9, 0),
                    "state": "done",
                    "next_steps": f"Next steps agreed in {key.upper()}",
                    "company_id": company.id,
                }
            )
            planned = Visit.create(
                {
                    "partner_id": cls.shared.id,
                    "user_id": cls.kam_1.id,
                    "company_id": company.id,
                }
            )
            ticket = Ticket.with_company(company).create(
                {
                    "name": f"Claim handled in {key.upper()}",
                    "partner_id": cls.shared.id,
                    "user_id": cls.kam_1.id,
                    "company_id": company.id,
                }
            )
            cls.env["logistics.tier.history"].sudo().create(
                {
                    "partner_id": cls.shared.id,
                    "company_id": company.id,
                    "new_tier": "A" if key == "a" else "C",
                    "value": 1234.0 if key == "a" else 98765.0,
                    "source": "manual",
                }
            )
            cls.records[key] = (planned, ticket)

    def _handover(self, company, **vals):
        wizard = (
            self.env["logistics.account.handover.wizard"]
            .with_company(company)
            .create(
                {"from_user_id": self.kam_1.id, "to_user_id": self.kam_2.id, **vals}
            )
        )
        self.assertEqual(wizard.company_id, company)
        wizard.action_handover()
        return wizard

    def test_handover_moves_and_reports_its_company_only(self):
        self._handover(self.company)
        self.assertEqual(self.shared.key_account_manager_id, self.kam_2)
        self.assertEqual(
            self.bound_b.with_company(self.company_b).key_account_manager_id,
            self.kam_1,
            "a customer of B only",
        )
        planned_a, ticket_a = self.records["a"]
        planned_b, ticket_b = self.records["b"]
        self.assertEqual(planned_a.user_id, self.kam_2)
        self.assertEqual(ticket_a.user_id, self.kam_2)
        self.assertEqual(planned_b.user_id, self.kam_1, "B's visit stays")
        self.assertEqual(ticket_b.user_id, self.kam_1, "B's ticket stays")
        note = self.shared.message_ids.filtered(lambda m: "Handover" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Next steps agreed in A", note.body)
        self.assertIn("Claim handled in A", note.body)
        self.assertNotIn("Next steps agreed in B", note.body)
        self.assertNotIn("Claim handled in B", note.body)
        self.assertIn("not ranked yet → A", note.body, "a first grade")
        self.assertNotIn("- →", note.body)
        self.assertNotIn("→ C", note.body, "B's tier changes are not reported")
        self.assertFalse(
            self.bound_b.message_ids.filtered(lambda m: "Handover" in (m.body or ""))
        )

    def test_accounts_of_another_company_cannot_be_picked(self):
        wizard = (
            self.env["logistics.account.handover.wizard"]
            .with_company(self.company)
            .new({"from_user_id": self.kam_1.id})
        )
        wizard._onchange_from_user_id()
        self.assertEqual(wizard.partner_ids._origin, self.shared)
        with self.assertRaisesRegex(UserError, "manages no account"):
            self._handover(self.company, partner_ids=[Command.set(self.bound_b.ids)])
        self.assertEqual(
            self.bound_b.with_company(self.company_b).key_account_manager_id, self.kam_1
        )
        # in its own company the customer of B is handed over
        self._handover(self.company_b, partner_ids=[Command.set(self.bound_b.ids)])
        self.assertEqual(
            self.bound_b.with_company(self.company_b).key_account_manager_id, self.kam_2
        )
        self.assertEqual(self.shared.key_account_manager_id, self.kam_1, "not picked")
        self.assertEqual(self.records["b"][1].user_id, self.kam_1)
