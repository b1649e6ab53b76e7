from datetime import date, datetime

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from .common import LogisticsTicketCase, load_chinese


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 02:00:00")
class TestPartnerMerge(LogisticsTicketCase):
    """Odoo's contact merge (the Merge action of Contacts) keeps the logistics data
    of both customers: accounts of one company combined, the rest moved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.company_2 = cls.env["res.company"].create({"name": "LCRM Merge Co 2"})
        cls.env.user.company_ids |= cls.company_2
        both = [Command.set((cls.company | cls.company_2).ids)]
        groups = "base.group_user,logistics_crm.group_logistics_crm_user"
        cls.kam_1 = new_test_user(cls.env, login="lcrm_merge_kam_1", groups=groups)
        cls.kam_2 = new_test_user(cls.env, login="lcrm_merge_kam_2", groups=groups)
        cls.kam_c2 = new_test_user(
            cls.env, login="lcrm_merge_kam_c2", groups=groups, company_ids=both
        )
        # a logistics manager (Contacts' merge wants a contact manager: implied)
        cls.merger = new_test_user(
            cls.env,
            login="lcrm_merge_manager",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            lang="zh_CN",
            tz="Asia/Shanghai",
            company_ids=both,
        )
        Partner = cls.env["res.partner"]
        email = "ops@merge-shipper.example.com"
        cls.dst = Partner.create(
            {"name": "Merge Shipper Ltd", "is_company": True, "email": email}
        )
        cls.src = Partner.create(
            {"name": "Merge Shipper Limited", "is_company": True, "email": email}
        )
        cls.src_contact = Partner.create(
            {"name": "Sam Source", "parent_id": cls.src.id, "email": email}
        )
        cls.policy_1 = cls.env["logistics.tier.policy"]._get_company_policy(cls.company)
        for tier in ("A", "B", "C"):
            cls.policy_1._service_level(tier).visit_interval_days = 30
        cls.reason_price = cls.env.ref("logistics_crm.logistics_churn_reason_price")
        cls.survey = cls.env.ref("logistics_crm.survey_relationship")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _account(self, partner, company, **vals):
        account = self.env["logistics.customer.tier"].create(
            {"partner_id": partner.id, "company_id": company.id, **vals}
        )
        return account

    def _accounts(self, partner):
        return self.env["logistics.customer.tier"].search(
            [("partner_id", "=", partner.id)]
        )

    def _merge(self, user, dst, partners, team_partner=None):
        """As the Merge action of the contacts list: the wizard opened on the
        selected contacts, the destination and the team picked in its form."""
        Wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            # the web client's context: the user's language and zone
            .with_context(
                active_model="res.partner",
                active_ids=partners.ids,
                lang=user.lang,
                tz=user.tz,
            )
        )
        with Form(Wizard) as form:
            form.dst_partner_id = dst
            if team_partner is not None:
                self.assertEqual(form.logistics_team_partner_id, dst)
                form.logistics_team_partner_id = team_partner
        form.record.action_merge()
        self.assertFalse(partners.exists() - dst, "the sources are merged away")

    def _set_create_date(self, record, moment):
        record.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET create_date = %s WHERE id = %s",
                SQL.identifier(record._table),
                moment,
                record.id,
            )
        )
        record.invalidate_recordset(["create_date"])

    def _visit(self, partner, **vals):
        return self.env["logistics.visit"].create(
            {
                "partner_id": partner.id,
                "user_id": self.kam_1.id,
                "date": datetime(2026, 12, 1, 2, 0),
                **vals,
            }
        )

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_accounts_of_one_company_are_combined_with_both_histories(self):
        dst_account = self._account(
            self.dst,
            self.company,
            computed_tier="B",
            value=1000.0,
            last_order_date=date(2026, 10, 1),
        )
        dst_account._set_forced_tier("A", "Strategic account")
        src_account = self._account(
            self.src,
            self.company,
            computed_tier="C",
            value=500.0,
            last_order_date=date(2026, 11, 3),
        )
        self._set_create_date(src_account, datetime(2024, 1, 5))
        # each manager gets the cadence plan of the customer in company 1
        dst_account.key_account_manager_id = self.kam_1
        src_account.write(
            {
                "key_account_manager_id": self.kam_2.id,
                "backup_manager_id": self.kam_1.id,
            }
        )
        History = self.env["logistics.tier.history"]
        for partner, tier in ((self.dst, "B"), (self.src, "C")):
            History.create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "new_tier": tier,
                    "source": "manual",
                }
            )
        Health = self.env["logistics.account.health"]
        for account, score in ((dst_account, 70.0), (src_account, 40.0)):
            Health.create(
                {
                    "account_id": account.id,
                    "partner_id": account.partner_id.id,
                    "company_id": self.company.id,
                    "date": date(2026, 11, 1),
                    "score": score,
                }
            )
        answer = self.survey.sudo()._create_answer(
            partner=self.src_contact, check_attempts=False
        )
        relationship_survey = self.env["logistics.relationship.survey"].create(
            {
                "account_id": src_account.id,
                "partner_id": self.src.id,
                "contact_id": self.src_contact.id,
                "company_id": self.company.id,
                "sent_date": date(2026, 11, 2),
                "user_input_id": answer.id,
            }
        )
        src_ticket = self._ticket(partner_id=self.src_contact.id)
        dst_ticket = self._ticket(partner_id=self.dst.id)
        self.assertEqual(src_ticket.key_account_manager_id, self.kam_2)
        self.assertEqual(src_ticket.customer_tier, "C")
        volumes = self.env["logistics.volume"].create(
            [
                {
                    "partner_id": partner.id,
                    "date": date(2026, 10, 1),
                    "revenue": revenue,
                    "shipment_count": 4,
                }
                for partner, revenue in ((self.dst, 800.0), (self.src, 200.0))
            ]
        )
        lane = self.env["logistics.partner.lane"].create(
            {"partner_id": self.src.id, "origin": "上海", "destination": "成都"}
        )
        done_visit = self._visit(self.src, state="done", user_id=self.kam_2.id)
        Visit = self.env["logistics.visit"]
        plan_domain = [
            ("partner_id", "in", (self.dst | self.src).ids),
            ("state", "=", "planned"),
            ("is_scheduled", "=", True),
        ]
        plans = Visit.search(plan_domain)
        self.assertEqual(plans.partner_id, self.dst | self.src)
        self.assertEqual(len(plans), 2, "one cadence plan each")

        self._merge(self.merger, self.dst, self.dst | self.src, team_partner=self.src)

        accounts = self._accounts(self.dst)
        self.assertEqual(accounts, dst_account, "one account in the company")
        self.assertFalse(src_account.exists())
        # the older history kept: the earlier start, the later order, the force
        self.assertEqual(dst_account.create_date, datetime(2024, 1, 5))
        self.assertEqual(dst_account.last_order_date, date(2026, 11, 3))
        self.assertEqual(dst_account.forced_tier, "A")
        self.assertEqual(dst_account.forced_reason, "Strategic account")
        self.assertEqual(dst_account.tier, "A")
        self.assertEqual(dst_account.value, 1500.0)
        # the team of the contact the user chose, each change in the history
        self.assertEqual(dst_account.key_account_manager_id, self.kam_2)
        self.assertEqual(dst_account.backup_manager_id, self.kam_1)
        # the customer belongs to the chosen team's key-account manager
        self.assertEqual(dst_account.owner_id, self.kam_2)
        assignments = dst_account.assignment_ids
        self.assertEqual(len(assignments), 5, "3 before, 2 on the merge")
        self.assertEqual(assignments.partner_id, self.dst)
        merged = assignments.filtered(lambda a: a.reason == "客户合并")
        self.assertEqual(
            sorted((a.role, a.from_user_id.login, a.to_user_id.login) for a in merged),
            [
                ("backup_manager_id", False, "lcrm_merge_kam_1"),
                ("key_account_manager_id", "lcrm_merge_kam_1", "lcrm_merge_kam_2"),
            ],
        )
        self.assertEqual(merged.changed_by_id, self.merger)
        # histories of both
        tier_history = History.search([("partner_id", "=", self.dst.id)])
        self.assertEqual(sorted(tier_history.mapped("new_tier")), ["A", "B", "C"])
        self.assertEqual(
            sorted(dst_account.health_history_ids.mapped("score")), [40.0, 70.0]
        )
        self.assertEqual(relationship_survey.account_id, dst_account)
        self.assertEqual(relationship_survey.partner_id, self.dst)
        self.assertEqual(answer.partner_id, self.src_contact)
        self.assertEqual(self.src_contact.commercial_partner_id, self.dst)
        # tickets follow the customer: its tier and the kept manager
        self.assertEqual(src_ticket.commercial_partner_id, self.dst)
        self.assertEqual(
            (src_ticket | dst_ticket).mapped("key_account_manager_id"), self.kam_2
        )
        self.assertEqual(src_ticket.customer_tier, "A", "the combined account's")
        self.assertEqual(volumes.commercial_partner_id, self.dst)
        self.assertEqual(lane.partner_id, self.dst)
        self.assertEqual(done_visit.partner_id, self.dst)
        partner = self.dst.with_user(self.merger).with_company(self.company)
        self.assertEqual(partner.ticket_count, 2)
        self.assertEqual(partner.visit_count, 2)
        plan = Visit.search(plan_domain)
        self.assertEqual(len(plan), 1)
        self.assertIn(plan, plans)
        self.assertEqual(plan.user_id, self.kam_2, "the kept manager's plan")

    def test_accounts_of_other_companies_are_moved(self):
        dst_account = self._account(self.dst, self.company, computed_tier="B")
        dst_account.key_account_manager_id = self.kam_1
        src_account = self._account(self.src, self.company_2, computed_tier="A")
        src_account.key_account_manager_id = self.kam_c2
        src_account._mark_lost(self.reason_price, date(2026, 10, 1), "顺丰")
        volume = self.env["logistics.volume"].create(
            {
                "partner_id": self.src.id,
                "date": date(2026, 9, 1),
                "revenue": 300.0,
                "company_id": self.company_2.id,
            }
        )

        self._merge(self.merger, self.dst, self.dst | self.src)

        self.assertEqual(self._accounts(self.dst), dst_account | src_account)
        self.assertEqual(src_account.partner_id, self.dst)
        self.assertEqual(dst_account.key_account_manager_id, self.kam_1)
        self.assertEqual(src_account.key_account_manager_id, self.kam_c2)
        self.assertEqual(
            self.dst.with_company(self.company_2).key_account_manager_id, self.kam_c2
        )
        self.assertEqual(src_account.assignment_ids.partner_id, self.dst)
        # the churn record moved with its account
        self.assertTrue(src_account.is_lost)
        self.assertEqual(src_account.churn_date, date(2026, 10, 1))
        self.assertEqual(src_account.churn_competitor, "顺丰")
        self.assertFalse(
            self.env["logistics.account.assignment"].search(
                [("reason", "=", "客户合并")]
            ),
            "no account was combined",
        )
        self.assertEqual(volume.partner_id, self.dst)
        self.assertEqual(volume.company_id, self.company_2)

    def test_churn_of_combined_accounts(self):
        """One account still trading keeps the customer active; two lost ones
        keep the latest churn."""
        third = self.env["res.partner"].create(
            {
                "name": "Merge Shipper Co.",
                "is_company": True,
                "email": self.dst.email,
            }
        )
        dst_account = self._account(self.dst, self.company, computed_tier="B")
        src_account = self._account(self.src, self.company, computed_tier="B")
        third_account = self._account(third, self.company, computed_tier="C")
        src_account._mark_lost(self.reason_price, date(2026, 9, 1))
        third_account._mark_lost(self.reason_price, date(2026, 10, 1), "德邦")

        self._merge(self.merger, self.dst, self.dst | self.src)
        self.assertFalse(dst_account.is_lost, "the destination still trades")
        self.assertFalse(dst_account.churn_date)

        dst_account._mark_lost(self.reason_price, date(2026, 8, 1))
        self._merge(self.merger, self.dst, self.dst | third)
        self.assertEqual(self._accounts(self.dst), dst_account)
        self.assertTrue(dst_account.is_lost)
        self.assertEqual(dst_account.churn_date, date(2026, 10, 1))
        self.assertEqual(dst_account.churn_competitor, "德邦")

    def test_contacts_user_merges_with_the_destinations_team(self):
        """A contact manager outside Logistics CRM cannot pick the team (the
        field is not theirs): the destination's team stays."""
        contacts_user = new_test_user(
            self.env,
            login="lcrm_merge_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        dst_account = self._account(self.dst, self.company)
        dst_account.key_account_manager_id = self.kam_1
        src_account = self._account(self.src, self.company)
        src_account.key_account_manager_id = self.kam_2

        self._merge(contacts_user, self.dst, self.dst | self.src)

        self.assertEqual(self._accounts(self.dst), dst_account)
        self.assertEqual(dst_account.key_account_manager_id, self.kam_1)
        lost = dst_account.assignment_ids.filtered(
            lambda a: a.from_user_id == self.kam_2
        )
        self.assertEqual(lost.to_user_id, self.kam_1)
        self.assertEqual(lost.reason, "Customers merged")

    def test_three_customers_without_a_destination_account(self):
        """Two sources with accounts in a company where the destination has none:
        the chosen contact's account is kept and becomes the destination's."""
        third = self.env["res.partner"].create(
            {"name": "Merge Shipper Co.", "is_company": True, "email": self.dst.email}
        )
        src_account = self._account(
            self.src, self.company_2, computed_tier="B", value=100.0
        )
        src_account.key_account_manager_id = self.kam_c2
        third_account = self._account(
            third, self.company_2, computed_tier="C", value=50.0
        )
        third_account.executive_sponsor_id = self.kam_c2
        self._set_create_date(third_account, datetime(2023, 3, 1))

        self._merge(
            self.merger, self.dst, self.dst | self.src | third, team_partner=third
        )

        self.assertEqual(self._accounts(self.dst), third_account)
        self.assertFalse(src_account.exists())
        self.assertEqual(third_account.company_id, self.company_2)
        self.assertEqual(third_account.value, 150.0)
        self.assertEqual(third_account.create_date, datetime(2023, 3, 1))
        # the chosen account had no key-account manager: the other's stays
        self.assertEqual(third_account.key_account_manager_id, self.kam_c2)
        self.assertEqual(third_account.executive_sponsor_id, self.kam_c2)
        history = third_account.assignment_ids
        self.assertEqual(history.partner_id, self.dst)
        self.assertEqual(
            sorted(history.mapped("role")),
            [
                "executive_sponsor_id",
                "key_account_manager_id",
                "key_account_manager_id",
            ],
            "both accounts' history, and the manager coming with the merge",
        )

    def test_a_pool_customer_merged_with_an_owned_one_keeps_the_owner(self):
        dst_account = self._account(self.dst, self.company)
        src_account = self._account(self.src, self.company)
        dst_account.sudo().write({"owner_id": False, "pool_reason": "never_owned"})
        src_account.sudo().owner_id = self.kam_1

        self._merge(self.env.user, self.dst, self.dst | self.src)

        self.assertEqual(dst_account.owner_id, self.kam_1)
        self.assertFalse(dst_account.pool_reason)
        self.assertFalse(
            self.dst.with_company(self.company).in_customer_pool,
            "an owned customer is not in the pool",
        )
