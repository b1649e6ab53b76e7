from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import LogisticsCrmCase, load_chinese


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 02:00:00")
class TestCustomerPool(LogisticsCrmCase):
    """Claiming from the pool within the limits, assigning past them, returning
    to it, and what a rep may read of the customers that are not theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.policy = cls.env["logistics.tier.policy"]._get_company_policy(cls.company)
        cls.policy.write(
            {"pool_daily_limit": 3, "pool_owned_limit": 5, "pool_block_days": 30}
        )
        cls.rep_2 = new_test_user(
            cls.env,
            login="lcrm_pool_rep_2",
            name="Rep Rita",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            tz="Asia/Shanghai",
        )
        cls.Account = cls.env["logistics.customer.tier"]
        cls.pool = cls.env["res.partner"].create(
            [
                {"name": f"上海货主{i}有限公司", "is_company": True, "city": "上海"}
                for i in range(6)
            ]
        )
        cls.accounts = cls.Account.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "computed_tier": "C",
                    "value": 1000.0 + i,
                }
                for i, partner in enumerate(cls.pool)
            ]
        )

    def _claim(self, partners, user):
        return partners.with_user(user).action_logistics_pool_claim()

    def test_new_accounts_start_with_the_salesperson_or_in_the_pool(self):
        self.assertFalse(self.accounts.owner_id)
        self.assertEqual(set(self.accounts.mapped("pool_reason")), {"never_owned"})
        sold = self.env["res.partner"].create(
            {"name": "Sold Co", "is_company": True, "user_id": self.rep.id}
        )
        account = self.Account.create(
            {"partner_id": sold.id, "company_id": self.company.id}
        )
        self.assertEqual(account.owner_id, self.rep)
        self.assertFalse(account.pool_reason)
        # the pool menu lists the pool only
        in_pool = self.env["res.partner"].search([("in_customer_pool", "=", True)])
        self.assertIn(self.pool[0], in_pool)
        self.assertNotIn(sold, in_pool)

    def test_rep_claims_within_the_limits_and_is_refused_past_them(self):
        self._claim(self.pool[:3], self.rep)
        self.assertEqual(self.accounts[:3].owner_id, self.rep)
        history = self.env["logistics.account.assignment"].search(
            [("account_id", "in", self.accounts[:3].ids), ("pool_event", "=", "claim")]
        )
        self.assertEqual(len(history), 3)
        self.assertEqual(history.to_user_id, self.rep)
        self.assertEqual(set(history.mapped("role")), {"owner_id"})
        # the fourth claim of the day: refused, nothing half-claimed
        with self.assertRaisesRegex(UserError, "3 customers a day"):
            self._claim(self.pool[3:5], self.rep)
        self.assertFalse(self.accounts[3:5].owner_id)
        # the next day of Shanghai (16:00 UTC), the rep may claim again
        with freeze_time("2026-11-20 16:30:00"):
            self._claim(self.pool[3:5], self.rep)
        self.assertEqual(self.accounts[3:5].owner_id, self.rep)
        # but no more than five own customers
        with freeze_time("2026-11-21 16:30:00"):
            with self.assertRaisesRegex(UserError, "at most 5 customers"):
                self._claim(self.pool[5], self.rep)

    def test_the_day_is_the_company_day(self):
        self._claim(self.pool[:3], self.rep)
        # 15:59 UTC is still the 20th in Shanghai: refused
        with freeze_time("2026-11-20 15:59:00"):
            with self.assertRaises(UserError):
                self._claim(self.pool[3], self.rep)

    def test_grade_limit_and_key_grades_are_assigned_not_claimed(self):
        grade_c = self.policy._service_level("C")
        grade_c.pool_owned_limit = 1
        self._claim(self.pool[0], self.rep)
        with self.assertRaisesRegex(UserError, "of grade"):
            self._claim(self.pool[1], self.rep)
        key = self.accounts[2]
        key.with_context(logistics_account_method=True).computed_tier = "A"
        with self.assertRaisesRegex(UserError, "dedicated"):
            self._claim(key.partner_id, self.rep_2)
        # a manager assigns it: the rep becomes its key-account manager
        wizard = Form(
            self.env["logistics.pool.assign.wizard"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_ids=key.partner_id.ids)
        )
        wizard.user_id = self.rep_2
        wizard.save().action_assign()
        self.assertEqual(key.owner_id, self.rep_2)
        self.assertEqual(key.key_account_manager_id, self.rep_2)
        event = key.assignment_ids.filtered("pool_event")
        self.assertEqual(event.pool_event, "assign")
        self.assertEqual(event.changed_by_id, self.manager)

    def test_manager_assigns_past_the_limits_only_when_asked(self):
        self.policy.pool_owned_limit = 2
        Wizard = self.env["logistics.pool.assign.wizard"].with_user(self.manager)
        wizard = Wizard.create(
            {"partner_ids": [Command.set(self.pool[:3].ids)], "user_id": self.rep.id}
        )
        with self.assertRaisesRegex(UserError, "at most 2 customers"):
            wizard.action_assign()
        self.assertFalse(self.accounts[:3].owner_id)
        wizard.ignore_limits = True
        wizard.action_assign()
        self.assertEqual(self.accounts[:3].owner_id, self.rep)

    def test_owned_customer_cannot_be_claimed_by_another_rep(self):
        self._claim(self.pool[0], self.rep)
        with self.assertRaisesRegex(UserError, "Rep Ruby owns it"):
            self._claim(self.pool[0], self.rep_2)
        self.assertEqual(self.accounts[0].owner_id, self.rep)

    def test_return_to_pool_releases_open_work_and_blocks_the_former_owner(self):
        partner, account = self.pool[0], self.accounts[0]
        self._claim(partner, self.rep)
        activity = partner.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.rep.id, summary="Call CEO"
        )
        visit = self.env["logistics.visit"].create(
            {
                "partner_id": partner.id,
                "user_id": self.rep.id,
                "date": "2026-11-25 02:00:00",
            }
        )
        ticket = self.env["logistics.ticket"].create(
            {"name": "Late truck", "partner_id": partner.id, "user_id": self.rep.id}
        )
        partner.with_user(self.rep).action_logistics_pool_return()
        self.assertFalse(account.owner_id)
        self.assertEqual(account.previous_owner_id, self.rep)
        self.assertEqual(account.pool_reason, "released")
        self.assertEqual(account.claim_blocked_until, date(2026, 12, 20))
        self.assertFalse(activity.exists())
        self.assertEqual(visit.state, "cancelled")
        self.assertFalse(ticket.user_id)
        note = partner.message_ids[:1]
        self.assertIn("Call CEO", note.body)
        events = account.assignment_ids.filtered("pool_event")
        self.assertEqual(events.mapped("pool_event"), ["return", "claim"])
        # the former owner waits; another rep does not
        with self.assertRaisesRegex(UserError, "claim it again from"):
            self._claim(partner, self.rep)
        self._claim(partner, self.rep_2)
        self.assertEqual(account.owner_id, self.rep_2)

    def test_only_the_owner_or_a_manager_returns_a_customer(self):
        self._claim(self.pool[0], self.rep)
        with self.assertRaisesRegex(UserError, "Only the owner"):
            self.pool[0].with_user(self.rep_2).action_logistics_pool_return()
        self.pool[0].with_user(self.manager).action_logistics_pool_return()
        self.assertFalse(self.accounts[0].owner_id)

    def test_owner_follows_the_key_account_manager(self):
        partner, account = self.pool[0], self.accounts[0]
        partner.with_user(self.manager).key_account_manager_id = self.rep
        self.assertEqual(account.owner_id, self.rep)
        # a handover to no one returns the account to the pool
        partner.with_user(self.manager).key_account_manager_id = False
        self.assertFalse(account.owner_id)
        self.assertEqual(account.pool_reason, "released")

    def test_rep_cannot_take_a_customer_by_setting_its_team(self):
        with self.assertRaisesRegex(UserError, "claim it from the customer pool"):
            self.pool[0].with_user(self.rep).key_account_manager_id = self.rep
        self.assertFalse(self.accounts[0].owner_id)
        # on their own customer, a rep names the backup manager
        self._claim(self.pool[0], self.rep)
        self.pool[0].with_user(self.rep).backup_manager_id = self.rep_2
        self.assertEqual(self.accounts[0].backup_manager_id, self.rep_2)

    def test_owner_and_pool_fields_are_written_by_methods_only(self):
        account = self.accounts[0]
        for vals in (
            {"owner_id": self.rep.id},
            {"pool_reason": "unattended"},
            {"claim_blocked_until": "2026-11-21"},
        ):
            with self.assertRaises(ValidationError):
                account.with_user(self.manager).write(vals)
        self.assertFalse(account.owner_id)
        with self.assertRaises(AccessError):
            account.with_user(self.rep).write({"pool_protected": True})
        with self.assertRaisesRegex(UserError, "Only a manager"):
            self.pool[0].with_user(self.rep).pool_protected = True
        self.pool[0].with_user(self.manager).pool_protected = True
        self.assertTrue(account.pool_protected)

    def test_rep_reads_no_private_figure_of_pool_or_other_reps_customers(self):
        self._claim(self.pool[0], self.rep)
        self._claim(self.pool[1], self.rep_2)
        self.accounts.sudo().write({"health_score": 42.0, "health_status": "at_risk"})
        as_rep = self.pool.with_user(self.rep)
        own, other, in_pool = as_rep[0], as_rep[1], as_rep[2]
        self.assertEqual(own.tier_value, 1000.0)
        self.assertEqual(own.health_score, 42.0)
        for partner in (other, in_pool):
            self.assertFalse(partner.tier_value)
            self.assertFalse(partner.health_score)
            self.assertFalse(partner.health_status)
            # the grade and the owner are not private: they say who to ask
            self.assertEqual(partner.tier, "C")
        self.assertEqual(other.account_owner_id, self.rep_2)
        # the accounts themselves: the rep's own only
        Account = self.Account.with_user(self.rep)
        self.assertEqual(Account.search([]), self.accounts[0])
        with self.assertRaises(AccessError):
            self.accounts[1].with_user(self.rep).read(["value"])
        # searching by grade still finds every customer of the grade
        found = (
            self.env["res.partner"]
            .with_user(self.rep)
            .search([("tier", "=", "C"), ("id", "in", self.pool.ids)])
        )
        self.assertEqual(found, self.pool)
        # a manager reads them all
        self.assertEqual(self.pool[1].with_user(self.manager).tier_value, 1001.0)

    def test_rep_reads_the_history_and_volumes_of_their_own_accounts_only(self):
        self._claim(self.pool[0], self.rep)
        self._claim(self.pool[1], self.rep_2)
        History = self.env["logistics.tier.history"]
        History.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "new_tier": "C",
                    "value": 500.0,
                    "source": "manual",
                }
                for partner in self.pool[:3]
            ]
        )
        Volume = self.env["logistics.volume"]
        for partner in self.pool[:3]:
            Volume.create(
                {"partner_id": partner.id, "date": "2026-10-01", "revenue": 99.0}
            )
        domain = [("partner_id", "in", self.pool.ids)]
        for model in ("logistics.tier.history", "logistics.volume"):
            with self.subTest(model=model):
                rows = self.env[model].with_user(self.rep).search(domain)
                self.assertEqual(rows.partner_id, self.pool[0])
                rows = self.env[model].with_user(self.manager).search(domain)
                self.assertEqual(rows.partner_id, self.pool[:3])

    def test_claim_messages_in_chinese(self):
        load_chinese(self.env)
        self.rep.lang = "zh_CN"
        self._claim(self.pool[0], self.rep_2)
        with self.assertRaisesRegex(UserError, "Rep Rita"):
            self.pool[0].with_user(self.rep).with_context(
                lang="zh_CN"
            ).action_logistics_pool_claim()
        try:
            self.pool[0].with_user(self.rep).with_context(
                lang="zh_CN"
            ).action_logistics_pool_claim()
        except UserError as error:
            self.assertIn("公海", str(error))
