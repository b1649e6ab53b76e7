from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 08:00:00")
class TestAccountTeamMultiCompany(LogisticsTierCase):
    """A customer shared by two companies has one account team in each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "LCRM Team Co 2"})
        cls.env.user.company_ids |= cls.company_2
        cls.policy_2 = cls.env["logistics.tier.policy"]._get_company_policy(
            cls.company_2
        )
        # kam_1 works for company 1 only, kam_2 for company 2 only
        cls.kam_1 = cls._logistics_user("lcrm_team_kam_1")
        cls.kam_2 = cls._logistics_user("lcrm_team_kam_2")
        cls.kam_2.write(
            {
                "company_ids": [Command.set(cls.company_2.ids)],
                "company_id": cls.company_2.id,
            }
        )
        cls.customer = cls._customers(1, prefix="Team Shared")
        for company, policy, tier in (
            (cls.company, cls.policy, "A"),
            (cls.company_2, cls.policy_2, "B"),
        ):
            cls.env["logistics.customer.tier"].create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": company.id,
                    "computed_tier": tier,
                    "value": 1000.0,
                }
            )
            policy._service_level(tier).write({"visit_interval_days": 30})
        cls.customer.with_company(cls.company).key_account_manager_id = cls.kam_1
        cls.customer.with_company(cls.company_2).key_account_manager_id = cls.kam_2

    def _in(self, company):
        return self.customer.with_company(company)

    def test_each_company_shows_and_searches_its_own_manager(self):
        self.assertEqual(self._in(self.company).key_account_manager_id, self.kam_1)
        self.assertEqual(self._in(self.company_2).key_account_manager_id, self.kam_2)
        Partner = self.env["res.partner"]
        for company, kam, other in (
            (self.company, self.kam_1, self.kam_2),
            (self.company_2, self.kam_2, self.kam_1),
        ):
            found = Partner.with_company(company).search(
                [("key_account_manager_id", "=", kam.id)]
            )
            self.assertEqual(found, self.customer)
            self.assertFalse(
                Partner.with_company(company).search(
                    [("key_account_manager_id", "=", other.id)]
                )
            )
        self.assertNotIn(
            self.customer,
            Partner.with_company(self.company).search(
                [("key_account_manager_id", "=", False)]
            ),
        )

    def test_history_is_kept_per_account(self):
        self._in(self.company_2).key_account_manager_id = False
        rows = {
            row.company_id: row
            for row in self.env["logistics.customer.tier"].search(
                [("partner_id", "=", self.customer.id)]
            )
        }
        self.assertEqual(
            rows[self.company].assignment_ids.mapped("to_user_id"), self.kam_1
        )
        history_2 = rows[self.company_2].assignment_ids.sorted("id")
        self.assertEqual(history_2.company_id, self.company_2)
        self.assertEqual(history_2.mapped("to_user_id"), self.kam_2)
        self.assertEqual(history_2[-1].from_user_id, self.kam_2)
        self.assertFalse(history_2[-1].to_user_id)
        self.assertEqual(rows[self.company].key_account_manager_id, self.kam_1)

    def test_a_manager_without_access_to_the_company_is_refused(self):
        # assertRaises (Odoo's: in a savepoint, caches cleared as by a rollback)
        with self.assertRaises(ValidationError) as refused:
            self._in(self.company_2).key_account_manager_id = self.kam_1
        self.assertIn("has no access to LCRM Team Co 2", str(refused.exception))
        self.assertEqual(self._in(self.company_2).key_account_manager_id, self.kam_2)

    def test_loads_are_counted_per_company(self):
        self.assertEqual(set(self.policy._manager_loads()), {self.kam_1.id})
        self.assertEqual(set(self.policy_2._manager_loads()), {self.kam_2.id})

    def test_auto_assignment_skips_pool_members_without_access(self):
        self._in(self.company_2).key_account_manager_id = False
        self.policy_2._service_level("B").write(
            {"key_account_required": True, "account_load_weight": 1}
        )
        self.policy_2.manager_ids = [
            Command.create({"user_id": self.kam_1.id, "capacity": 50}),
            Command.create({"user_id": self.kam_2.id, "capacity": 1}),
        ]
        assigned, _left = self.policy_2._auto_assign_key_accounts()
        self.assertEqual(assigned, self.customer)
        self.assertEqual(
            self._in(self.company_2).key_account_manager_id,
            self.kam_2,
            "kam_1 is less loaded but cannot open company 2's records",
        )

    def test_visits_are_planned_for_each_companys_manager(self):
        Visit = self.env["logistics.visit"]
        Visit._schedule_visits(self.customer)
        planned = Visit.search(
            [("partner_id", "=", self.customer.id), ("state", "=", "planned")]
        )
        self.assertEqual(
            {(v.company_id, v.user_id) for v in planned},
            {(self.company, self.kam_1), (self.company_2, self.kam_2)},
        )
        for visit in planned:
            self.assertEqual(visit.key_account_manager_id, visit.user_id)

    def test_visits_skip_a_manager_who_lost_access(self):
        # data written before the rule existed, or access removed later
        self.env.cr.execute(
            "UPDATE logistics_customer_tier SET key_account_manager_id = %s "
            "WHERE partner_id = %s AND company_id = %s",
            [self.kam_1.id, self.customer.id, self.company_2.id],
        )
        self.env["logistics.customer.tier"].invalidate_model()
        Visit = self.env["logistics.visit"]
        Visit._schedule_visits(self.customer)
        planned = Visit.search(
            [("partner_id", "=", self.customer.id), ("state", "=", "planned")]
        )
        self.assertEqual(planned.company_id, self.company)

    def test_tickets_take_their_companys_manager(self):
        Ticket = self.env["logistics.ticket"]
        tickets = {
            company: Ticket.with_company(company).create(
                {
                    "name": f"Delay reported to {company.name}",
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                }
            )
            for company in (self.company, self.company_2)
        }
        self.assertEqual(tickets[self.company].key_account_manager_id, self.kam_1)
        self.assertEqual(tickets[self.company_2].key_account_manager_id, self.kam_2)
        self.assertIn(
            self.kam_2.partner_id, tickets[self.company_2].message_partner_ids
        )
        self.assertNotIn(
            self.kam_1.partner_id, tickets[self.company_2].message_partner_ids
        )
        # company 2's account changes hands: company 1's ticket keeps its manager
        successor = self._logistics_user("lcrm_team_kam_3")
        successor.company_ids |= self.company_2
        self._in(self.company_2).key_account_manager_id = successor
        self.assertEqual(tickets[self.company_2].key_account_manager_id, successor)
        self.assertEqual(tickets[self.company].key_account_manager_id, self.kam_1)
        # the rep of company 1 sees the ticket of its key account, not company 2's
        as_kam_1 = Ticket.with_user(self.kam_1).with_company(self.company)
        self.assertEqual(
            as_kam_1.search([("partner_id", "=", self.customer.id)]),
            tickets[self.company],
        )
        with self.assertRaises(AccessError):
            tickets[self.company_2].with_user(self.kam_1).read(["name"])

    def test_handover_in_one_company_leaves_the_other_team(self):
        self.kam_1.company_ids |= self.company_2
        successor = self._logistics_user("lcrm_team_kam_4")
        successor.company_ids |= self.company_2
        self._in(self.company_2).key_account_manager_id = self.kam_1
        wizard = (
            self.env["logistics.account.handover.wizard"]
            .with_company(self.company_2)
            .create({"from_user_id": self.kam_1.id, "to_user_id": successor.id})
        )
        wizard.action_handover()
        self.assertEqual(self._in(self.company_2).key_account_manager_id, successor)
        self.assertEqual(self._in(self.company).key_account_manager_id, self.kam_1)

    def test_setting_one_value_keeps_the_others(self):
        # fields computed together are written back one by one
        customer = self._in(self.company)
        customer.write({"backup_manager_id": self.manager.id})
        customer.last_order_date = "2026-10-01"
        self.env.invalidate_all()
        customer.write({"key_account_manager_id": self.rep.id})
        customer.lifecycle_stage = "at_risk"
        self.env.invalidate_all()
        self.assertEqual(customer.key_account_manager_id, self.rep)
        self.assertEqual(customer.backup_manager_id, self.manager)
        self.assertEqual(customer.lifecycle_stage, "at_risk")
        self.assertEqual(str(customer.last_order_date), "2026-10-01")

    def test_claim_leaves_accounts_another_run_assigned(self):
        # as a second server's assignment would find them: already taken
        Account = self.env["logistics.customer.tier"]
        taken = Account.search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ]
        )
        free_customer = self._customers(1, prefix="Team Free")
        free = Account.create(
            {"partner_id": free_customer.id, "company_id": self.company.id}
        )
        history_before = len(taken.assignment_ids)
        claimed = Account._claim_key_account_managers(
            {taken.id: self.rep.id, free.id: self.rep.id}, "test claim"
        )
        self.assertEqual(claimed, free)
        self.assertEqual(taken.key_account_manager_id, self.kam_1)
        self.assertEqual(len(taken.assignment_ids), history_before)
        self.assertEqual(free_customer.key_account_manager_id, self.rep)
        self.assertEqual(free.assignment_ids.reason, "test claim")
        self.assertEqual(free.assignment_ids.company_id, self.company)
