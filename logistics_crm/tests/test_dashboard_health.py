from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LogisticsTierCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestDashboardHealth(LogisticsTierCase):
    """The overview's health per tier, worst movers of the month and NPS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls._customers(20, prefix="Overview", customer_rank=1)
        for index, customer in enumerate(cls.customers):
            cls._invoice(customer, 1000.0 * (20 - index), "2026-10-01")
        cls.policy._recompute_tiers()
        cls.top, cls.second, cls.third = cls.customers[:3]

    def _health(self, partner, score, status, history):
        account = self._tier_row(partner)
        account.write({"health_score": score, "health_status": status})
        for day, old_score in history:
            self.env["logistics.account.health"].sudo().create(
                {
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "date": day,
                    "score": old_score,
                }
            )
        return account

    def test_health_per_tier_and_worst_movers(self):
        fell = self._health(
            self.top,
            35.0,
            "at_risk",
            [(date(2026, 10, 20), 90.0), (date(2026, 11, 3), 35.0)],
        )
        self._health(
            self.second,
            60.0,
            "watch",
            [(date(2026, 10, 2), 70.0), (date(2026, 11, 4), 60.0)],
        )
        # better than before the 1st: not a mover; no change this month: not looked at
        self._health(
            self.third,
            95.0,
            "healthy",
            [(date(2026, 10, 2), 70.0), (date(2026, 11, 5), 95.0)],
        )
        self._health(self.customers[5], 20.0, "at_risk", [(date(2026, 9, 1), 80.0)])
        policy = self.policy.with_user(self.manager)
        by_code = {grade["code"]: grade for grade in policy.dashboard_health_grades}
        self.assertEqual(by_code["A"]["at_risk"], 1)
        self.assertEqual((by_code["B"]["watch"], by_code["B"]["healthy"]), (1, 1))
        self.assertEqual(by_code["C"]["at_risk"], 1)
        movers = policy.dashboard_worst_movers
        self.assertEqual(
            [m["id"] for m in movers], [fell.id, self._tier_row(self.second).id]
        )
        self.assertEqual((movers[0]["change"], movers[0]["score"]), (-55, 35))
        self.assertEqual(movers[0]["name"], self.top.name)
        opened = policy.with_context(
            dashboard="account", account_id=fell.id
        ).action_open_dashboard()
        self.assertEqual(
            (opened["res_model"], opened["res_id"]),
            ("logistics.customer.tier", fell.id),
        )
        pivot = policy.with_context(
            dashboard="health_pivot", rows="key_account_manager_id"
        ).action_open_dashboard()
        self.assertEqual(pivot["views"][0][1], "pivot")
        self.assertEqual(
            pivot["context"]["pivot_row_groupby"], ["key_account_manager_id"]
        )
        at_risk_a = policy.with_context(
            dashboard="health", health="at_risk", tier="A"
        ).action_open_dashboard()
        self.assertEqual(
            self.env["logistics.customer.tier"].search(at_risk_a["domain"]), fell
        )

    def test_nps_this_quarter_against_the_last(self):
        Survey = self.env["logistics.relationship.survey"].sudo()
        account = self._tier_row(self.top)

        def answered(day, value):
            Survey.create(
                {
                    "account_id": account.id,
                    "partner_id": self.top.id,
                    "company_id": self.company.id,
                    "sent_date": day,
                    "answered_date": day,
                    "state": "answered",
                    "nps_category": {100.0: "promoter", 0.0: "passive"}.get(
                        value, "detractor"
                    ),
                    "nps_value": value,
                }
            )

        answered(date(2026, 10, 5), 100.0)
        answered(date(2026, 11, 2), 100.0)
        answered(date(2026, 11, 3), -100.0)
        answered(date(2026, 11, 4), 100.0)
        answered(date(2026, 8, 1), -100.0)  # last quarter
        answered(date(2026, 9, 30), 0.0)
        policy = self.policy.with_user(self.manager)
        self.assertEqual(policy.dashboard_nps, 50.0)
        self.assertEqual(policy.dashboard_nps_answers, 4)
        self.assertEqual(policy.dashboard_nps_previous, -50.0)
        action = policy.with_context(dashboard="nps").action_open_dashboard()
        self.assertEqual(action["res_model"], "logistics.relationship.survey")
