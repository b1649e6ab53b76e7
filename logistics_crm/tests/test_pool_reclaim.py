from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LogisticsTierCase, load_chinese
from .test_cron_runs import run_cron

CRON = "logistics_crm.ir_cron_pool_reclaim"
# the owner claimed on 2026-11-01, 10:00 in Shanghai
CLAIMED = datetime(2026, 11, 1, 2, 0)


def shanghai_night(day):
    """05:30 in Shanghai on `day`: the night of the reclaim (21:30 UTC the day
    before)."""
    return datetime(day.year, day.month, day.day, 5, 30) - timedelta(hours=8)


@tagged("post_install", "-at_install")
class TestPoolReclaim(LogisticsTierCase):
    """The reclaim rules (回收规则): an owner warned once, K days before, in
    their language and local day; the customer back in the pool on the right
    night; the former owner waiting P days; protected and key customers kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.rule = cls.policy.pool_reclaim_rule_ids
        cls.rule.write(
            {
                "unattended_days": 30,
                "not_won_days": 0,
                "warn_days": 5,
                "block_days": 10,
            }
        )
        cls.rep.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.Account = cls.env["logistics.customer.tier"]
        cls.warning_type = cls.env.ref("logistics_crm.mail_activity_type_pool_return")
        cls.company_2 = cls.setup_other_company()["company"]

    def _owned(self, name, tier="C", user=None, when=CLAIMED, company=None):
        company = company or self.company
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "user_id": (user or self.rep).id,
                "company_id": False,
            }
        )
        with freeze_time(when):
            account = self.Account.create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "computed_tier": tier,
                }
            )
        self.assertEqual(account.owner_id, user or self.rep)
        return account

    def _warnings(self, account):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", account.partner_id.id),
                ("activity_type_id", "=", self.warning_type.id),
            ]
        )

    def _night(self, day):
        with freeze_time(shanghai_night(day)):
            run_cron(self, CRON)

    def _reclaim(self, day):
        """One company's reclaim as the job does it, on the company's `day`."""
        with freeze_time(shanghai_night(day)):
            self.env["logistics.tier.policy"].flush_model()
            while self.policy._cron_pool_reclaim_company(day):
                continue
        self.env.invalidate_all()

    def test_default_rule_with_every_new_policy(self):
        company = self.env["res.company"].create({"name": "Reclaim Defaults Co"})
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        rule = policy.pool_reclaim_rule_ids
        self.assertEqual(len(rule), 1)
        self.assertEqual(
            (rule.unattended_days, rule.not_won_days, rule.warn_days, rule.block_days),
            (90, 0, 7, 30),
        )
        self.assertFalse(rule.grade_ids)
        self.assertEqual(rule.company_id, company)
        # a policy without a rule (made before the rules) gets one on upgrade;
        # an archived rule is the company's choice and stays alone
        rule.unlink()
        self.env["logistics.pool.reclaim.rule"]._ensure_default_rules()
        rule = policy.pool_reclaim_rule_ids
        self.assertEqual(len(rule), 1)
        rule.active = False
        self.env["logistics.pool.reclaim.rule"]._ensure_default_rules()
        self.assertFalse(policy.pool_reclaim_rule_ids)

    def test_rule_constraints(self):
        with self.assertRaises(ValidationError):
            self.rule.write({"warn_days": -1})
        with self.assertRaises(ValidationError):
            self.rule.write({"warn_days": 30})
        with self.assertRaises(ValidationError):
            self.rule.write({"not_won_days": 5})
        # a rule turned off keeps its warning days
        self.rule.write({"unattended_days": 0})
        self.rule.write({"unattended_days": 30})
        with self.assertRaises(ValidationError):
            self.rule.write(
                {
                    "count_activities": False,
                    "count_visits": False,
                    "count_messages": False,
                    "count_orders": False,
                }
            )
        other_policy = self.env["logistics.tier.policy"]._get_company_policy(
            self.company_2
        )
        with self.assertRaises(ValidationError):
            self.rule.write(
                {"grade_ids": [Command.set(other_policy.grade_ids[:1].ids)]}
            )
        # a rep reads the rules and changes none
        self.assertEqual(self.rule.with_user(self.rep).unattended_days, 30)
        with self.assertRaises(AccessError):
            self.rule.with_user(self.rep).write({"unattended_days": 5})

    def test_unattended_customer_warned_once_then_returned_on_its_night(self):
        account = self._owned("无人跟进物流有限公司")
        # due 2026-12-01 (claimed 11-01 + 30 days), warned from 11-26
        self._night(date(2026, 11, 25))
        self.assertFalse(self._warnings(account))
        self._night(date(2026, 11, 26))
        warning = self._warnings(account)
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.user_id, self.rep)
        self.assertEqual(warning.date_deadline, date(2026, 12, 1))
        self.assertIn("退回公海", warning.summary)
        self.assertIn("2026", warning.summary)
        for day in (26, 27, 30):
            self._night(date(2026, 11, day))
        self.assertEqual(len(self._warnings(account)), 1, "one warning only")
        self.assertEqual(account.owner_id, self.rep)
        # 2026-12-01 05:30 in Shanghai: still 2026-11-30 in UTC
        self._night(date(2026, 12, 1))
        self.assertFalse(account.owner_id)
        self.assertEqual(account.pool_reason, "unattended")
        self.assertEqual(account.previous_owner_id, self.rep)
        self.assertEqual(account.claim_blocked_until, date(2026, 12, 11))
        history = self.env["logistics.account.assignment"].search(
            [("account_id", "=", account.id), ("pool_event", "=", "return")]
        )
        self.assertEqual(len(history), 1)
        self.assertEqual(history.from_user_id, self.rep)
        # the warning went with the owner's other open work
        self.assertFalse(self._warnings(account))
        # the former owner waits the rule's days, then may claim it back
        with freeze_time(shanghai_night(date(2026, 12, 10))):
            with self.assertRaises(UserError):
                account.partner_id.with_user(self.rep).action_logistics_pool_claim()
        with freeze_time(shanghai_night(date(2026, 12, 11))):
            account.partner_id.with_user(self.rep).action_logistics_pool_claim()
        self.assertEqual(account.owner_id, self.rep)
        self.assertFalse(account.pool_warned_date)

    def test_two_runs_within_one_second_do_nothing_twice(self):
        account = self._owned("一秒两次物流有限公司")
        with freeze_time(shanghai_night(date(2026, 11, 26))):
            run_cron(self, CRON)
            run_cron(self, CRON)
            self.env["logistics.tier.policy"]._cron_pool_reclaim()
        self.assertEqual(len(self._warnings(account)), 1)
        with freeze_time(shanghai_night(date(2026, 12, 1))):
            run_cron(self, CRON)
            run_cron(self, CRON)
            self.env["logistics.tier.policy"]._cron_pool_reclaim()
        history = self.env["logistics.account.assignment"].search(
            [("account_id", "=", account.id), ("pool_event", "=", "return")]
        )
        self.assertEqual(len(history), 1)
        self.assertFalse(account.owner_id)

    def _follow_up(self, account, kind, when):
        partner = account.partner_id
        with freeze_time(when):
            if kind == "activity":
                activity = self.env["mail.activity"].create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": partner.id,
                        "activity_type_id": self.env.ref(
                            "mail.mail_activity_data_call"
                        ).id,
                        "user_id": self.rep.id,
                        "summary": "回访",
                    }
                )
                activity.with_user(self.rep).sudo().action_feedback("已回访")
            elif kind == "message":
                partner.with_user(self.rep).sudo().message_post(
                    body="电话沟通运价",
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            elif kind == "visit":
                visit = self.env["logistics.visit"].create(
                    {
                        "partner_id": partner.id,
                        "user_id": self.rep.id,
                        "company_id": self.company.id,
                        "date": when,
                    }
                )
                visit.action_done()
            else:
                self._invoice(partner, 500.0, when.date())

    def test_followups_reset_the_clock_only_when_the_rule_counts_them(self):
        kinds = ("activity", "message", "visit", "order")
        accounts = {kind: self._owned(f"跟进{kind}有限公司") for kind in kinds}
        # a note by someone else is no follow-up of the owner
        silent = self._owned("别人跟进有限公司")
        silent.partner_id.message_post(
            body="not the owner", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        for kind, account in accounts.items():
            self._follow_up(account, kind, datetime(2026, 11, 20, 3, 0))
        self.rule.write({"count_visits": False, "count_orders": False})
        self._reclaim(date(2026, 11, 26))
        followed = {
            kind: account.last_followup_date for kind, account in accounts.items()
        }
        self.assertEqual(
            followed,
            {
                "activity": date(2026, 11, 20),
                "message": date(2026, 11, 20),
                "visit": False,
                "order": False,
            },
        )
        self.assertFalse(accounts["activity"].pool_warned_date)
        self.assertFalse(accounts["message"].pool_warned_date)
        self.assertEqual(accounts["visit"].pool_warned_date, date(2026, 11, 26))
        self.assertEqual(accounts["order"].pool_warned_date, date(2026, 11, 26))
        self.assertEqual(silent.pool_warned_date, date(2026, 11, 26))
        self.assertFalse(silent.last_followup_date)
        # the other way round
        self.rule.write(
            {
                "count_visits": True,
                "count_orders": True,
                "count_activities": False,
                "count_messages": False,
            }
        )
        self._reclaim(date(2026, 11, 27))
        self.assertFalse(accounts["activity"].last_followup_date)
        self.assertFalse(accounts["message"].last_followup_date)
        self.assertEqual(accounts["visit"].last_followup_date, date(2026, 11, 20))
        self.assertEqual(accounts["order"].last_followup_date, date(2026, 11, 20))
        self.assertEqual(accounts["activity"].pool_warned_date, date(2026, 11, 27))
        # marking the reclaim's own warning done is no follow-up
        self.rule.write({"count_activities": True})
        warning = self._warnings(silent)
        self.assertEqual(len(warning), 1)
        with freeze_time(datetime(2026, 11, 28, 3, 0)):
            warning.with_user(self.rep).sudo().action_feedback("知道了")
        # the followed-up ones keep their owner on the day the others return
        self._reclaim(date(2026, 12, 2))
        for kind in ("activity", "visit", "order"):
            self.assertEqual(accounts[kind].owner_id, self.rep, kind)
        self.assertFalse(accounts["message"].owner_id)
        self.assertFalse(silent.owner_id)
        self.assertFalse(silent.last_followup_date)

    def test_not_won_within_the_days_of_the_claim(self):
        self.rule.write({"unattended_days": 0, "not_won_days": 20, "warn_days": 3})
        lost = self._owned("未成交物流有限公司")
        won = self._owned("已成交物流有限公司")
        before = self._owned("旧账物流有限公司")
        self._invoice(won.partner_id, 900.0, date(2026, 11, 10))
        # an invoice from before the claim is not a win of this owner
        self._invoice(before.partner_id, 900.0, date(2026, 10, 10))
        self._night(date(2026, 11, 18))
        self.assertEqual(len(self._warnings(lost)), 1)
        self.assertIn("未成交", self._warnings(lost).summary)
        self.assertFalse(self._warnings(won))
        self._night(date(2026, 11, 21))
        self.assertEqual(lost.pool_reason, "not_won")
        self.assertFalse(lost.owner_id)
        self.assertFalse(before.owner_id)
        self.assertEqual(won.owner_id, self.rep)

    def test_protected_key_grade_and_key_accounts_never_return(self):
        protected = self._owned("签约物流有限公司")
        protected.sudo().pool_protected = True
        key_grade = self._owned("关键客户物流有限公司", tier="A")
        self.assertTrue(
            self.policy.grade_ids.filtered(lambda g: g.code == "A").key_account_required
        )
        managed = self._owned("大客户经理有限公司")
        managed.key_account_manager_id = self.rep
        plain = self._owned("普通物流有限公司")
        for day in (date(2026, 11, 26), date(2026, 12, 1), date(2027, 3, 1)):
            self._night(day)
        for account in (protected, key_grade, managed):
            self.assertEqual(account.owner_id, self.rep, account.partner_id.name)
            self.assertFalse(self._warnings(account))
        self.assertFalse(plain.owner_id)

    def test_late_warning_gives_the_owner_the_warning_days(self):
        """A customer already past its days when the rule appears is warned
        first and returns K days later, not the same night."""
        account = self._owned("老客户物流有限公司", when=datetime(2026, 6, 1))
        self._night(date(2026, 11, 26))
        self.assertEqual(self._warnings(account).date_deadline, date(2026, 12, 1))
        self._night(date(2026, 11, 30))
        self.assertEqual(account.owner_id, self.rep)
        self._night(date(2026, 12, 1))
        self.assertFalse(account.owner_id)

    def test_a_company_in_another_zone_is_done_on_its_own_night(self):
        company_2 = self.company_2
        company_2.partner_id.tz = "America/New_York"
        rep_2 = new_test_user(
            self.env,
            login="lcrm_reclaim_ny",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=company_2.id,
            company_ids=[Command.set(company_2.ids)],
            tz="America/New_York",
        )
        policy_2 = self.env["logistics.tier.policy"]._get_company_policy(company_2)
        policy_2.pool_reclaim_rule_ids.write({"unattended_days": 30, "warn_days": 5})
        shanghai = self._owned("上海客户有限公司")
        # claimed 2026-10-31, 22:00 in New York: its day 0 is 10-31
        new_york = self._owned(
            "New York Shipper Inc.", user=rep_2, company=company_2, when=CLAIMED
        )
        # New York's 05:30 of 11-25 (Shanghai's 18:30): its warning day (due
        # 11-30, its day 0 being 10-31), not Shanghai's (due 12-01)
        self._utc_night(datetime(2026, 11, 25, 10, 30))
        self.assertEqual(self._warnings(new_york).date_deadline, date(2026, 11, 30))
        self.assertEqual(self._warnings(new_york).user_id, rep_2)
        self.assertFalse(self._warnings(shanghai))
        self._night(date(2026, 11, 26))
        self.assertEqual(self._warnings(shanghai).date_deadline, date(2026, 12, 1))
        self.assertEqual(len(self._warnings(new_york)), 1)
        # 11-30 already in UTC and in Shanghai, 04:00 in New York: not its night
        self._utc_night(datetime(2026, 11, 30, 9, 0))
        self.assertEqual(new_york.owner_id, rep_2)
        self._utc_night(datetime(2026, 11, 30, 10, 30))
        self.assertFalse(new_york.owner_id)
        self.assertEqual(shanghai.owner_id, self.rep)

    def _utc_night(self, moment):
        with freeze_time(moment):
            run_cron(self, CRON)

    def test_many_due_customers_in_committed_batches(self):
        from ..models import logistics_customer_pool_reclaim as reclaim

        self.patch(reclaim, "RECLAIM_BATCH", 2)
        reads = []
        account_class = type(self.Account)
        original = account_class._pool_update_followups

        def counted(model, policy, *args):
            reads.append(policy.company_id.id)
            return original(model, policy, *args)

        self.patch(account_class, "_pool_update_followups", counted)
        accounts = self.Account.browse(
            [self._owned(f"批量物流{i}有限公司").id for i in range(5)]
        )
        with freeze_time(shanghai_night(date(2026, 11, 26))):
            run_cron(self, CRON)
        self.assertEqual(len(accounts.filtered("pool_warned_date")), 5)
        self.assertEqual(
            len(
                self.env["mail.activity"].search(
                    [
                        ("activity_type_id", "=", self.warning_type.id),
                        ("res_id", "in", accounts.partner_id.ids),
                    ]
                )
            ),
            5,
        )
        runs = self.env["logistics.job.run"].search([("job", "=", "reclaim")])
        self.assertEqual(len(runs), 1, "the batches are one run")
        # three batches, the follow-ups read by the first
        self.assertEqual(reads.count(self.company.id), 1)
        self.assertEqual(self.policy.cron_reclaim_day, date(2026, 11, 26))
        self._night(date(2026, 12, 1))
        self.assertFalse(accounts.owner_id)

    def test_customers_returned_together_each_release_their_own_work(self):
        first = self._owned("第一物流有限公司")
        second = self._owned("第二物流有限公司")
        Activity = self.env["mail.activity"]
        todo = self.env.ref("mail.mail_activity_data_todo")
        for account in first | second:
            Activity.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": account.partner_id.id,
                    "activity_type_id": todo.id,
                    "user_id": self.rep.id,
                    "summary": f"报价 {account.partner_id.name}",
                }
            )
        visit = self.env["logistics.visit"].create(
            {
                "partner_id": first.partner_id.id,
                "user_id": self.rep.id,
                "company_id": self.company.id,
                "date": datetime(2026, 12, 20, 2, 0),
            }
        )
        # the other rep's activity on the customer stays theirs
        other = Activity.create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": second.partner_id.id,
                "activity_type_id": todo.id,
                "user_id": self.manager.id,
                "summary": "经理跟进",
            }
        )
        self._reclaim(date(2026, 11, 26))
        self._reclaim(date(2026, 12, 1))
        self.assertFalse((first | second).owner_id)
        self.assertEqual(visit.state, "cancelled")
        self.assertTrue(other.exists())
        self.assertFalse(
            Activity.search(
                [
                    ("res_id", "in", (first | second).partner_id.ids),
                    ("user_id", "=", self.rep.id),
                ]
            )
        )
        notes = {
            account: account.partner_id.message_ids.filtered(
                lambda m: "退回" in (m.body or "") or "Returned" in (m.body or "")
            )
            for account in (first, second)
        }
        self.assertEqual(len(notes[first]), 1)
        self.assertEqual(len(notes[second]), 1)
        self.assertIn("报价 第一物流有限公司", notes[first].body)
        self.assertNotIn("第二", notes[first].body)
        self.assertIn("报价 第二物流有限公司", notes[second].body)
        self.assertNotIn("经理跟进", notes[second].body)
