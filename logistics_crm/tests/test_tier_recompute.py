from freezegun import freeze_time

from odoo import fields, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.logistics_tier_policy_recompute import RECOMPUTE_LOCK_NAMESPACE
from .common import LogisticsTierCase, load_chinese, set_shares

TODAY = "2026-11-15"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestTierRecompute(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 20 customers with distinct revenue: 1 A (5%), 3 B (15%), 16 C
        cls.customers = cls._customers(20, prefix="Shipper")
        for i, customer in enumerate(cls.customers):
            cls._invoice(customer, 1000.0 * (20 - i), "2026-06-01")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Top contact", "parent_id": cls.customers[0].id}
        )

    def _recompute(self, policy=None):
        return (policy or self.policy).with_user(self.manager)._recompute_tiers()

    def _tiers(self, partners, company=None):
        partners = partners.with_company(company or self.company)
        partners.invalidate_recordset(["tier"])
        return [p.tier for p in partners]

    def test_ranking_by_invoiced_revenue(self):
        summary = self._recompute()
        self.assertIn("20 customers ranked (A: 1, B: 3, and C: 16)", summary)
        tiers = self._tiers(self.customers)
        self.assertEqual(tiers, ["A"] + ["B"] * 3 + ["C"] * 16)
        top = self.customers[0].with_company(self.company)
        self.assertEqual(top.tier_value, 20000.0)
        self.assertEqual(
            self.contact.with_company(self.company).tier, "A", "contacts inherit"
        )

    def test_revenue_subtracts_refunds_ignores_taxes_converts_currency(self):
        customer = self._customers(1, prefix="Mixed")
        self._invoice(customer, 5000.0, "2026-09-01")
        self._invoice(customer, 1500.0, "2026-10-01", move_type="out_refund")
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        self._invoice(customer, 4000.0, "2026-10-05", currency_id=eur.id)
        old = self._customers(1, prefix="Old")
        self._invoice(old, 99999.0, "2025-10-01")  # outside the trailing 12 months
        draft = self._customers(1, prefix="Draft")
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": draft.id,
                "invoice_date": "2026-10-01",
                "invoice_line_ids": [
                    (0, 0, {"name": "x", "price_unit": 70000.0, "tax_ids": []})
                ],
            }
        )  # never posted
        self._recompute()
        # 5000 - 1500 + 4000 EUR / 2
        self.assertAlmostEqual(self._tier_row(customer).value, 5500.0)
        self.assertEqual(self._tier_row(old).value, 0.0)
        self.assertEqual(self._tier_row(old).tier, "C", "zero value is C")
        self.assertFalse(self._tier_row(draft), "a draft invoice makes no customer")

    def test_ties_share_the_better_tier(self):
        tied = self._customers(2, prefix="Tied")
        for customer in tied:
            self._invoice(customer, 20000.0, "2026-06-01")  # tie with the top one
        self._recompute()
        self.assertEqual(self._tiers(tied | self.customers[0]), ["A", "A", "A"])

    def test_twice_gives_same_result_and_no_duplicate_history(self):
        History = self.env["logistics.tier.history"]
        self._recompute()
        first = self._tiers(self.customers)
        count = History.search_count([("company_id", "=", self.company.id)])
        self.assertEqual(count, 20, "one 'first tier' entry per customer")
        self._recompute()
        self.assertEqual(self._tiers(self.customers), first)
        self.assertEqual(
            History.search_count([("company_id", "=", self.company.id)]), count
        )

    def test_history_and_alerts_on_tier_change(self):
        kam = self.manager
        riser = self.customers[10]
        riser.key_account_manager_id = kam
        self._recompute()
        self._invoice(riser, 100000.0, "2026-11-01")
        self._recompute()
        self.assertEqual(self._tier_row(riser).tier, "A")
        self.assertEqual(self._tier_row(riser).previous_tier, "C")
        entry = self.env["logistics.tier.history"].search(
            [("partner_id", "=", riser.id)], limit=1
        )
        self.assertEqual(
            (entry.previous_tier, entry.new_tier, entry.direction, entry.source),
            ("C", "A", "up", "manual"),
        )
        self.assertEqual(entry.rank, 1)
        dropped = self.customers[0]
        self.assertEqual(self._tier_row(dropped).tier, "B")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", (riser | dropped).ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("logistics_crm.mail_activity_type_tier_change").id,
                ),
            ]
        )
        self.assertEqual(len(activities), 2)
        by_partner = {a.res_id: a for a in activities}
        self.assertEqual(by_partner[riser.id].user_id, kam)
        self.assertIn("Tier up", by_partner[riser.id].summary)
        self.assertEqual(
            by_partner[dropped.id].user_id, self.policy.responsible_user_id
        )
        self.assertIn("Tier down", by_partner[dropped.id].summary)

    def test_alerts_are_written_in_the_assignees_language(self):
        load_chinese(self.env)
        self.manager.lang = "zh_CN"
        riser = self.customers[10]
        riser.key_account_manager_id = self.manager
        self._recompute()
        self._invoice(riser, 100000.0, "2026-11-01")
        self._recompute()
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", riser.id)]
        )
        self.assertEqual(activity.summary, "客户分级上升：C – 一般客户 → A – 关键客户")

    def test_empty_scope_changes_nothing(self):
        company = self.env["res.company"].create({"name": "Empty Logistics"})
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        summary = policy._recompute_tiers()
        self.assertIn("no customers in scope", summary)
        self.assertFalse(
            self.env["logistics.customer.tier"].search(
                [("company_id", "=", company.id)]
            )
        )

    def test_pareto_method(self):
        self.policy.method = "value_share"
        set_shares(self.policy, 50, 30)
        self._recompute()
        # total 210000; the first 5 customers make 90000 (43%) before the 6th
        tiers = self._tiers(self.customers)
        self.assertEqual(tiers.count("A"), 6)
        self.assertTrue(all(t == "A" for t in tiers[:6]))

    def test_filters_on_partner_list(self):
        self._recompute()
        Partner = self.env["res.partner"].with_company(self.company)
        found = Partner.search([("tier", "=", "A")])
        self.assertIn(self.customers[0], found)
        self.assertIn(self.contact, found)
        self.assertNotIn(self.customers[1], found)
        b_or_c = Partner.search(
            [("tier", "in", ["B", "C"]), ("id", "in", self.customers.ids)]
        )
        self.assertEqual(len(b_or_c), 19)
        no_tier = Partner.search(
            [("tier", "=", False), ("id", "in", self.customers.ids)]
        )
        self.assertFalse(no_tier)

    def test_override_needs_reason_and_is_kept(self):
        partner = self.customers[5]
        self._recompute()
        Wizard = (
            self.env["logistics.tier.force.wizard"]
            .with_user(self.manager)
            .with_company(self.company)
        )
        with self.assertRaisesRegex(UserError, "reason"):
            Wizard.create(
                {"partner_id": partner.id, "forced_tier": "A", "reason": "  "}
            ).action_apply()
        self.assertFalse(self._tier_row(partner).forced_tier)
        wizard = Form(Wizard.with_context(default_partner_id=partner.id))
        self.assertEqual(wizard.computed_tier, "C")
        wizard.forced_tier = "A"
        wizard.reason = "Strategic account: new contract signed"
        wizard.save().action_apply()
        row = self._tier_row(partner)
        self.assertEqual(
            (row.tier, row.computed_tier, row.forced_tier), ("A", "C", "A")
        )
        self.assertTrue(row.override_differs)
        entry = self.env["logistics.tier.history"].search(
            [("partner_id", "=", partner.id)], limit=1
        )
        self.assertEqual((entry.source, entry.new_tier), ("override", "A"))
        self.assertIn("Strategic", entry.reason)
        differs = (
            self.env["res.partner"]
            .with_company(self.company)
            .search([("tier_override_differs", "=", True)])
        )
        self.assertEqual(differs, partner)
        self._recompute()
        row.invalidate_recordset()
        self.assertEqual(row.tier, "A", "a recompute keeps the forced tier")
        self.assertEqual(row.computed_tier, "C", "and still computes the real one")

    def test_rep_cannot_force_a_tier(self):
        self._recompute()
        with self.assertRaises(AccessError):
            self.env["logistics.tier.force.wizard"].with_user(self.rep).create(
                {"partner_id": self.customers[3].id, "forced_tier": "A", "reason": "x"}
            )
        with self.assertRaises(AccessError):
            self._tier_row(self.customers[3]).with_user(self.rep).write(
                {"forced_tier": "A", "forced_reason": "x"}
            )

    def test_lifecycle_is_computed_from_invoice_dates(self):
        fresh = self._customers(1, prefix="Fresh")
        self._invoice(fresh, 100.0, "2026-10-01")
        silent = self._customers(1, prefix="Silent")
        self._invoice(silent, 100.0, "2025-01-10")
        self._invoice(silent, 100.0, "2026-06-01")
        gone = self._customers(1, prefix="Gone")
        self._invoice(gone, 100.0, "2024-01-01")
        prospect = self._customers(1, prefix="Prospect", customer_rank=1)
        self._recompute()
        stages = [p.lifecycle_stage for p in fresh | silent | gone | prospect]
        self.assertEqual(stages, ["new", "at_risk", "lapsed", "potential"])
        # the contact's company last bought in June: 3+ months ago
        self.assertEqual(self.contact.lifecycle_stage, "at_risk", "contact follows")
        # ordering twice a year, June is within its rhythm: not at risk
        silent.order_interval_days = 180
        self._recompute()
        silent.invalidate_recordset(["lifecycle_stage"])
        self.assertEqual(silent.lifecycle_stage, "active")

    def test_every_account_gets_its_trend(self):
        """The 3-month trend is stored for every account, flagged or not, and
        follows the figures from one recompute to the next."""
        steady, growing, dropping = self._customers(3, prefix="Trend")
        for customer, before, recent in (
            (steady, 1000.0, 1000.0),
            (growing, 1000.0, 1200.0),
            (dropping, 1000.0, 300.0),
        ):
            self._invoice(customer, before, "2026-07-01")
            self._invoice(customer, recent, "2026-10-01")
        self._recompute()
        rows = {p: self._tier_row(p) for p in (steady, growing, dropping)}
        # last grade, below the rising-star growth: none of them is flagged
        self.assertEqual({row.tier for row in rows.values()}, {"C"})
        self.assertFalse(any(row.trend for row in rows.values()))
        self.env.cr.execute(
            "SELECT partner_id, trend_percent FROM logistics_customer_tier "
            "WHERE partner_id IN %s",
            [tuple(p.id for p in rows)],
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()),
            {steady.id: 0.0, growing.id: 20.0, dropping.id: -70.0},
        )
        # the health reads it: flat or growing is healthy, a fall below -50% is 0
        Account = self.env["logistics.customer.tier"]
        Account._update_health(self.policy, fields.Date.to_date(TODAY))
        self.assertEqual(
            [rows[p].health_trend_score for p in (steady, growing, dropping)],
            [100.0, 100.0, 0.0],
        )
        # a new invoice moves the figure, the flag staying the same
        self._invoice(growing, 100.0, "2026-11-01")
        self._recompute()
        rows[growing].invalidate_recordset()
        self.assertFalse(rows[growing].trend)
        self.assertEqual(rows[growing].trend_percent, 30.0)

    def test_recompute_query_count_does_not_grow_with_customers(self):
        def run(count):
            # a fresh company each time: only its own customers are ranked
            company = self.env["res.company"].create({"name": f"Budget {count}"})
            policy = self.env["logistics.tier.policy"]._get_company_policy(company)
            policy.metric = "volume_revenue"
            customers = self._customers(
                count, prefix=f"Budget{count}", customer_rank=1, company_id=company.id
            )
            self.env["logistics.volume"].create(
                [
                    {
                        "partner_id": c.id,
                        # outside both 3-month trend windows: no alerts
                        "date": "2026-01-01",
                        "revenue": 10.0 * (i + 1),
                        "company_id": company.id,
                    }
                    for i, c in enumerate(customers)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            policy._recompute_tiers()
            queries = self.cr.sql_log_count - before
            self.assertEqual(
                len(
                    self.env["logistics.customer.tier"].search(
                        [("company_id", "=", company.id)]
                    )
                ),
                count,
            )
            return queries

        run(5)
        queries_50 = run(50)
        queries_500 = run(500)
        self.assertEqual(queries_50, queries_500)
        self.assertLess(queries_500, 60)


@tagged("post_install", "-at_install")
class TestTierConcurrency(LogisticsTierCase):
    def test_second_recompute_is_refused_while_one_runs(self):
        policy = self.env.ref("logistics_crm.tier_policy_main_company")
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            # another transaction is recomputing this company
            other.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [RECOMPUTE_LOCK_NAMESPACE, policy.id],
            )
            with self.assertRaisesRegex(UserError, "being recomputed right now"):
                policy.sudo()._recompute_tiers()
        finally:
            other.rollback()
            other.close()
        # once the other run is over, the recompute works
        self.assertIn("customers", policy.sudo()._recompute_tiers())
