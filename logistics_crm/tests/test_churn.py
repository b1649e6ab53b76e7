from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LogisticsTierCase, load_chinese


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestChurn(LogisticsTierCase):
    """Lost customers: the wizard, the win-back, the report and the churn rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()["company"]
        cls.env.user.company_ids |= cls.company_2
        cls.Account = cls.env["logistics.customer.tier"]
        ref = cls.env.ref
        cls.price = ref("logistics_crm.logistics_churn_reason_price")
        cls.competitor = ref("logistics_crm.logistics_churn_reason_competitor")
        cls.service = ref("logistics_crm.logistics_churn_reason_service_failure")
        cls.shared = cls._customers(1, prefix="Churn Shared")[0]
        cls._invoice(cls.shared, 900.0, "2026-06-01")
        cls._invoice(cls.shared, 700.0, "2026-06-01", company=cls.company_2)
        cls.Account._account_rows(cls.shared, cls.company, create=True)
        cls.Account._account_rows(cls.shared, cls.company_2, create=True)

    def _wizard(self, user=None, partner=None, **vals):
        Wizard = self.env["logistics.churn.wizard"].with_user(user or self.rep)
        values = {"partner_id": (partner or self.shared).id, **vals}
        return Wizard.with_company(self.company).create(values)

    def _row(self, partner, company=None):
        return self._tier_row(partner, company)

    def _lose(self, partner, day, reason=None, tier=None, company=None):
        row = self.Account._account_rows(partner, company or self.company, create=True)[
            partner.id
        ]
        if tier:
            row.computed_tier = tier
        row._mark_lost(reason or self.price, day)
        return row

    # ------------------------------------------------------------------
    # The wizard
    # ------------------------------------------------------------------
    def test_wizard_requires_a_reason(self):
        wizard = (
            self.env["logistics.churn.wizard"]
            .with_user(self.rep)
            .new({"partner_id": self.shared.id})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(self._row(self.shared).is_lost)

    def test_wizard_refuses_a_future_date(self):
        wizard = self._wizard(
            churn_reason_id=self.price.id, churn_date=date(2026, 12, 1)
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(self._row(self.shared).churn_date)

    def test_wizard_writes_the_current_companys_account_only(self):
        reengage = self.env.ref("logistics_crm.mail_activity_type_reengage")
        policy = self.env["logistics.tier.policy"]._get_company_policy(self.company)
        owner = self.shared.with_company(self.company)._account_owner(policy)
        # the planner's re-engage activity of this company (for the account's
        # owner) is closed; someone else's (another company's planner) stays
        activity = self.shared.activity_schedule(
            activity_type_id=reengage.id, user_id=owner.id
        )
        others = self.env["res.users"].search(
            [("share", "=", False), ("id", "!=", owner.id)], limit=1
        )
        other_activity = self.shared.activity_schedule(
            activity_type_id=reengage.id, user_id=others.id
        )
        self._row(self.shared).computed_tier = "A"
        self._wizard(
            churn_reason_id=self.competitor.id,
            churn_date=date(2026, 11, 10),
            churn_competitor="Rapid Rail Ltd",
            churn_note="Cheaper rail slots",
        ).action_confirm()
        row, other = self._row(self.shared), self._row(self.shared, self.company_2)
        self.assertTrue(row.is_lost)
        self.assertEqual(row.churn_date, date(2026, 11, 10))
        self.assertEqual(row.churn_reason_id, self.competitor)
        self.assertEqual(row.churn_competitor, "Rapid Rail Ltd")
        self.assertEqual(row.churn_tier, "A")
        self.assertEqual(row.win_back_status, "none")
        self.assertFalse(other.is_lost)
        self.assertFalse(other.churn_date)
        # the partner shows the account of the company the user works in
        self.assertTrue(self.shared.with_company(self.company).is_lost)
        self.assertFalse(self.shared.with_company(self.company_2).is_lost)
        self.assertEqual(
            self.shared.with_company(self.company).churn_reason_id, self.competitor
        )
        self.assertIn(
            self.shared.id,
            self.env["res.partner"]
            .with_company(self.company)
            .search([("is_lost", "=", True)])
            .ids,
        )
        self.assertIn("Rapid Rail Ltd", self.shared.message_ids[0].body)
        self.assertFalse(
            activity.exists().filtered("active"), "the re-engage activity is done"
        )
        self.assertTrue(other_activity.exists().filtered("active"))
        with self.assertRaises(UserError):
            self._wizard(churn_reason_id=self.price.id).action_confirm()

    def test_wizard_from_an_account(self):
        other = self._row(self.shared, self.company_2)
        wizard = (
            self.env["logistics.churn.wizard"]
            .with_context(
                active_model="logistics.customer.tier",
                active_id=other.id,
                allowed_company_ids=[self.company.id, self.company_2.id],
            )
            .create({"churn_reason_id": self.price.id})
        )
        self.assertEqual(wizard.partner_id, self.shared)
        self.assertEqual(wizard.company_id, self.company_2)
        wizard.action_confirm()
        self.assertTrue(other.is_lost)
        self.assertFalse(self._row(self.shared).is_lost)
        # the account's own buttons act on its company
        action = self._row(self.shared).action_mark_lost()
        self.assertEqual(action["context"]["default_company_id"], self.company.id)
        other.with_context(
            allowed_company_ids=[self.company.id, self.company_2.id]
        ).action_won_back()
        self.assertEqual(other.win_back_status, "won_back")

    def test_won_back(self):
        partner = self.shared.with_user(self.rep).with_company(self.company)
        with self.assertRaises(UserError):
            partner.action_won_back()
        self._wizard(
            churn_reason_id=self.price.id, churn_date=date(2026, 11, 2)
        ).action_confirm()
        partner.action_won_back()
        row = self._row(self.shared)
        self.assertFalse(row.is_lost)
        self.assertEqual(row.win_back_status, "won_back")
        self.assertEqual(row.won_back_date, date(2026, 11, 15))
        # the churn stays in the history
        self.assertEqual(row.churn_date, date(2026, 11, 2))
        self.assertEqual(row.churn_reason_id, self.price)

    def test_recompute_keeps_the_churn(self):
        row = self._lose(self.shared, date(2026, 11, 1), self.service)
        self.policy._recompute_tiers()
        row.invalidate_recordset()
        self.assertTrue(row.lifecycle_stage)
        self.assertTrue(row.is_lost)
        self.assertEqual(row.churn_reason_id, self.service)
        self.assertEqual(row.churn_date, date(2026, 11, 1))

    # ------------------------------------------------------------------
    # Report and rate
    # ------------------------------------------------------------------
    def test_report_counts_per_month_grade_and_reason(self):
        one, two, three, four = self._customers(4, prefix="Churn Report")
        self._lose(one, date(2026, 9, 10), self.price, "A")
        self._lose(two, date(2026, 9, 20), self.price, "A")
        self._lose(three, date(2026, 9, 25), self.service, "B")
        self._lose(four, date(2026, 10, 5), self.price, "B")._mark_won_back(
            date(2026, 11, 1)
        )
        self._lose(self.shared, date(2026, 10, 6), company=self.company_2)
        groups = self.env["logistics.churn.report"]._read_group(
            [("company_id", "=", self.company.id)],
            groupby=["churn_date:month", "tier", "churn_reason_id"],
            aggregates=["customer_count:sum", "won_back_count:sum"],
        )
        counts = {
            (month.strftime("%Y-%m"), tier, reason.id): (lost, won)
            for month, tier, reason, lost, won in groups
        }
        self.assertEqual(
            counts,
            {
                ("2026-09", "A", self.price.id): (2, 0),
                ("2026-09", "B", self.service.id): (1, 0),
                ("2026-10", "B", self.price.id): (1, 1),
            },
        )

    def test_churn_rate_across_a_quarter_boundary(self):
        c1, c2, c3, c4, c5, c7 = self._customers(6, prefix="Churn Rate")
        self._invoice(c1, 100.0, "2026-03-01")
        self._invoice(c2, 100.0, "2026-05-01")
        self._invoice(c3, 100.0, "2026-06-01")
        self._invoice(c4, 100.0, "2025-05-01")  # too long ago for both quarters
        self._volume(c5, "2026-08-01", revenue=500.0)  # statements count too
        self._invoice(c7, 100.0, "2026-09-01")
        self._lose(c1, date(2026, 8, 15))._mark_won_back(date(2026, 9, 20))
        self._lose(c2, date(2026, 10, 10))
        self._lose(c7, date(2026, 11, 1))
        self._lose(c4, date(2026, 7, 1))  # was not active: counts only as lost
        policy = self.policy
        # Q3: active on 1 July: shared, c1, c2, c3; lost: c1 and c4
        self.assertEqual(
            policy._churn_counts(date(2026, 7, 1), date(2026, 9, 30)), (2, 4)
        )
        # Q4: c1 is back (won back before 1 October), c4 lost before; c5, c7 new
        self.assertEqual(
            policy._churn_counts(date(2026, 10, 1), date(2026, 12, 31)), (2, 6)
        )
        self.assertAlmostEqual(
            policy._churn_rate(date(2026, 10, 1), date(2026, 12, 31)), 2 / 6
        )
        # lost before the period and still lost: not in the denominator
        self._lose(c3, date(2026, 9, 1))
        self.assertEqual(
            policy._churn_counts(date(2026, 10, 1), date(2026, 12, 31)), (2, 5)
        )
        # the overview: this quarter so far against the last one, in %
        policy.invalidate_recordset()
        self.assertAlmostEqual(policy.dashboard_churn_rate, 40.0)
        self.assertAlmostEqual(policy.dashboard_churn_rate_previous, 75.0)

    def test_lapsed_customers_churn_once_on_the_day_they_lapsed(self):
        """Churn is lost or lapsed: a customer without business for the policy's
        months (12) churns on the day it lapsed, with the reason Lapsed, once."""
        lapsed, lost_first, lost_later = self._customers(3, prefix="Churn Lapse")
        self._invoice(lapsed, 100.0, "2025-08-20")  # lapses on 2026-08-20
        self._invoice(lost_first, 100.0, "2025-09-10")  # would lapse on 2026-09-10
        self._invoice(lost_later, 100.0, "2025-08-25")  # lapses on 2026-08-25
        # marked lost before it lapsed: counted once, on the day it was lost
        self._lose(lost_first, date(2026, 7, 15), self.service)
        q3 = (date(2026, 7, 1), date(2026, 9, 30))
        q4 = (date(2026, 10, 1), date(2026, 12, 31))
        # before the recompute: only the one marked lost
        self.assertEqual(self.policy._churn_counts(*q3), (1, 4))
        self.policy._recompute_tiers()
        # Q3: shared and the three active on 1 July; all three churned in Q3
        self.assertEqual(self.policy._churn_counts(*q3), (3, 4))
        lapsed_reason = self.env.ref("logistics_crm.logistics_churn_reason_lapsed")
        row = self._row(lapsed)
        self.assertEqual(row.lifecycle_stage, "lapsed")
        self.assertFalse(row.is_lost, "nobody marked it lost")
        self.assertEqual(row.lapsed_date, date(2026, 8, 20))
        self.assertEqual(row.churn_date, date(2026, 8, 20))
        self.assertEqual(row.churn_reason_id, lapsed_reason)
        first = self._row(lost_first)
        self.assertEqual(first.lapsed_date, date(2026, 9, 10))
        self.assertEqual(first.churn_date, date(2026, 7, 15))
        self.assertEqual(first.churn_reason_id, self.service)
        self.policy._recompute_tiers()
        self.assertEqual(self.policy._churn_counts(*q3), (3, 4), "once")
        # a person records the loss of a lapsed customer later: it churned when
        # it lapsed, with the reason now given
        later = self._row(lost_later)
        later._mark_lost(self.price, date(2026, 11, 10))
        self.assertTrue(later.is_lost)
        self.assertEqual(later.churn_date, date(2026, 8, 25))
        self.assertEqual(later.churn_reason_id, self.price)
        self.assertEqual(self.policy._churn_counts(*q3), (3, 4))
        self.assertEqual(self.policy._churn_counts(*q4)[0], 0)
        # the lapsed customer buys again: won back, its churn stays in Q3
        self._invoice(lapsed, 100.0, "2026-11-02")
        self.policy._recompute_tiers()
        row.invalidate_recordset()
        self.assertNotEqual(row.lifecycle_stage, "lapsed")
        self.assertEqual(row.win_back_status, "won_back")
        self.assertEqual(row.won_back_date, date(2026, 11, 2))
        self.assertEqual(row.churn_date, date(2026, 8, 20))
        self.assertEqual(self.policy._churn_counts(*q3), (3, 4))
        # the report shows the lapse with its reason
        report = self.env["logistics.churn.report"].search(
            [("partner_id", "=", lapsed.id)]
        )
        self.assertEqual(report.churn_reason_id, lapsed_reason)
        self.assertTrue(report.is_lapsed)
        self.assertFalse(
            self.env["logistics.churn.report"]
            .search([("partner_id", "=", lost_first.id)])
            .is_lapsed
        )

    # ------------------------------------------------------------------
    # Access and language
    # ------------------------------------------------------------------
    def test_access(self):
        self._lose(self.shared, date(2026, 11, 1), self.price)
        portal = new_test_user(
            self.env, login="lcrm_churn_portal", groups="base.group_portal"
        )
        employee = new_test_user(
            self.env,
            login="lcrm_churn_employee",
            groups="base.group_user",
            company_id=self.company.id,
        )
        for user in (portal, employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.shared.with_user(user).read(["churn_reason_id"])
                with self.assertRaises(AccessError):
                    self.price.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.env["logistics.churn.report"].with_user(user).search([])
        partner = self.shared.with_user(self.rep).with_company(self.company)
        self.assertEqual(partner.churn_reason_id, self.price)
        self.assertEqual(
            self.env["logistics.churn.report"]
            .with_user(self.rep)
            .search([("partner_id", "=", self.shared.id)])
            .churn_reason_id,
            self.price,
        )
        with self.assertRaises(AccessError):
            self.price.with_user(self.rep).name = "Too expensive"
        self.price.with_user(self.manager).description = "Rates above the market"
        with self.assertRaises(AccessError):
            self._wizard(user=employee, churn_reason_id=self.price.id)

    def test_reason_in_chinese(self):
        load_chinese(self.env)
        reasons = self.env.ref(
            "logistics_crm.logistics_churn_reason_competitor"
        ).with_context(lang="zh_CN")
        self.assertEqual(reasons.name, "转投竞争对手")
        self.assertEqual(self.price.with_context(lang="zh_CN").name, "价格")


@tagged("post_install", "-at_install")
class TestReengageOutcome(LogisticsTierCase):
    """Done & Schedule Next on a re-engage activity asks whether the customer is
    lost, never schedules blindly."""

    def test_reengage_done_opens_the_churn_wizard(self):
        customer = self._customers(1, prefix="Lapsing", customer_rank=1)[0]
        reengage = self.env.ref("logistics_crm.mail_activity_type_reengage")
        activity = customer.activity_schedule(
            activity_type_id=reengage.id, user_id=self.rep.id
        )
        action = activity.with_user(self.rep).action_feedback_schedule_next(
            feedback="No orders since June"
        )
        self.assertEqual(action["res_model"], "logistics.churn.wizard")
        self.assertEqual(action["context"]["default_partner_id"], customer.id)
        # done: 18.0 deletes the activity, 19.0 archives every done activity
        self.assertFalse(activity.exists().filtered("active"), "the activity is done")
        # other activities keep Odoo's behaviour
        todo = customer.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.rep.id
        )
        action = todo.with_user(self.rep).action_feedback_schedule_next()
        self.assertEqual(action["res_model"], "mail.activity")
