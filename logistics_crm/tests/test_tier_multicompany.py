from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import LogisticsTierCase, set_shares


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestTierMultiCompany(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()["company"]
        cls.env.user.company_ids |= cls.company_2
        cls.policy_2 = cls.env["logistics.tier.policy"]._get_company_policy(
            cls.company_2
        )
        for policy in cls.policy | cls.policy_2:
            set_shares(policy, 10, 20)
        # shared partners (no company): the same customer in both companies
        cls.shared = cls._customers(10, prefix="Shared")
        for i, customer in enumerate(cls.shared):
            cls._invoice(customer, 1000.0 * (10 - i), "2026-09-01")
            # company 2 sees the ranking the other way round
            cls._invoice(
                customer, 1000.0 * (i + 1), "2026-09-01", company=cls.company_2
            )

    def test_each_company_ranks_on_its_own_documents(self):
        self.policy._recompute_tiers()
        self.policy_2._recompute_tiers()
        first, last = self.shared[0], self.shared[-1]
        self.assertEqual(first.with_company(self.company).tier, "A")
        self.assertEqual(first.with_company(self.company_2).tier, "C")
        self.assertEqual(last.with_company(self.company).tier, "C")
        self.assertEqual(last.with_company(self.company_2).tier, "A")
        self.assertEqual(first.with_company(self.company).tier_value, 10000.0)
        self.assertEqual(first.with_company(self.company_2).tier_value, 1000.0)

    def test_recompute_of_one_company_leaves_the_other_alone(self):
        self.policy._recompute_tiers()
        rows_2 = self.env["logistics.customer.tier"].search(
            [("company_id", "=", self.company_2.id)]
        )
        self.assertFalse(rows_2)
        self.assertFalse(self.shared[0].with_company(self.company_2).tier)

    def test_users_see_only_their_companies_tiers(self):
        self.policy._recompute_tiers()
        self.policy_2._recompute_tiers()
        rep_2 = self.rep.copy(
            {
                "login": "rep_company_2",
                "company_id": self.company_2.id,
                "company_ids": [Command.set(self.company_2.ids)],
            }
        )
        # rep_2 owns the shared customers in company 2
        self.env["logistics.customer.tier"].sudo().search(
            [("partner_id", "in", self.shared.ids)]
        ).owner_id = rep_2
        rows = (
            self.env["logistics.customer.tier"]
            .with_user(rep_2)
            .search([("partner_id", "in", self.shared.ids)])
        )
        self.assertEqual(rows.company_id, self.company_2)
        history = (
            self.env["logistics.tier.history"]
            .with_user(rep_2)
            .search([("partner_id", "in", self.shared.ids)])
        )
        self.assertEqual(history.company_id, self.company_2)
        partner_as_rep = self.shared[-1].with_user(rep_2).with_company(self.company_2)
        self.assertEqual(partner_as_rep.tier, "A")
