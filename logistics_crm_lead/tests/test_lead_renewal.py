from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, freeze_time, new_test_user, tagged

from odoo.addons.logistics_crm_lead.models import crm_lead_renewal

# 20:00 UTC is already the next morning in Shanghai
NOW = "2026-12-02 20:00:00"


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestLeadRenewal(TransactionCase):
    """The renewal watch opens one opportunity per target account whose provider
    contract ends within the company's window, in the company's time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.logistics_renewal_watch_days = 90
        cls.rep = new_test_user(
            cls.env,
            login="lcrm_renewal_rep",
            name="Renewal Rep",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.Lead = cls.env["crm.lead"]
        # the demo pipeline's contracts are not this test's
        cls.env["res.partner"].search(
            [("logistics_provider_contract_end", "!=", False)]
        ).logistics_provider_contract_end = False

    def _target(self, name, end, year=2026, **vals):
        """A company on the list of `year` (None: no year set, not even 0)."""
        if year is not None:
            vals["logistics_target_year"] = year
        return self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "logistics_current_provider": "Rival Freight",
                "logistics_provider_contract_end": end,
                "user_id": self.rep.id,
                **vals,
            }
        )

    def _watched(self, partner):
        return self.Lead.with_context(active_test=False).search(
            [("partner_id", "=", partner.id)]
        )

    def test_opportunity_opened_for_the_salesperson_with_a_call(self):
        account = self._target("Ningbo Electronics", date(2027, 2, 1))
        opened = self.Lead._cron_renewal_watch()
        self.assertEqual(opened, self._watched(account))
        self.assertRecordValues(
            opened,
            [
                {
                    "type": "opportunity",
                    "company_id": self.company.id,
                    "user_id": self.rep.id,
                    "logistics_current_provider": "Rival Freight",
                    "logistics_provider_contract_end": date(2027, 2, 1),
                    "logistics_renewal_contract_end": date(2027, 2, 1),
                    "date_deadline": date(2027, 2, 1),
                }
            ],
        )
        self.assertIn("Ningbo Electronics", opened.name)
        self.assertIn("Rival Freight", opened.name)
        self.assertEqual(opened.activity_ids.user_id, self.rep)
        # a month before the end, in the future
        self.assertEqual(opened.activity_ids.date_deadline, date(2027, 1, 2))
        # once per contract end
        self.assertFalse(self.Lead._cron_renewal_watch())
        self.assertEqual(len(self._watched(account)), 1)

    def test_window_counts_from_the_company_day(self):
        # Shanghai is on 3 December: 90 days reach 3 March, UTC's 2 March would not
        account = self._target("Edge Case Ltd", date(2027, 3, 3))
        self.assertTrue(self.Lead._cron_renewal_watch())
        self.assertTrue(self._watched(account))
        self.company.partner_id.tz = "UTC"
        late = self._target("Edge Case Two", date(2027, 3, 3))
        self.assertFalse(self.Lead._cron_renewal_watch())
        self.assertFalse(self._watched(late))

    def test_only_due_target_accounts_without_an_open_deal(self):
        later = self._target("Later Ltd", date(2027, 6, 1))
        ended = self._target("Ended Ltd", date(2026, 11, 30))
        not_target = self._target("Not Target", date(2027, 1, 15), year=0)
        last_year = self._target("Last Year", date(2027, 1, 15), year=2025)
        worked = self._target("Worked On", date(2027, 1, 15))
        open_deal = self.Lead.create(
            {"name": "Already talking", "type": "opportunity", "partner_id": worked.id}
        )
        self.assertFalse(self.Lead._cron_renewal_watch())
        for partner in later | ended | not_target | last_year:
            self.assertFalse(self._watched(partner), partner.name)
        self.assertEqual(self._watched(worked), open_deal)
        # the deal is lost: the watch does not reopen it before this contract's end
        lost_deal = self._target("Lost Ltd", date(2027, 1, 20))
        opened = self.Lead._cron_renewal_watch()
        self.assertEqual(opened.partner_id, lost_deal)
        opened.action_set_lost()
        self.assertFalse(self.Lead._cron_renewal_watch())
        # a new contract end (the prospect renewed with its provider) is watched again
        lost_deal.logistics_provider_contract_end = date(2027, 2, 20)
        self.assertEqual(self.Lead._cron_renewal_watch().partner_id, lost_deal)

    def test_watch_off_and_other_company(self):
        self.company.logistics_renewal_watch_days = 0
        account = self._target("Quiet Ltd", date(2027, 1, 10))
        self.assertFalse(self.Lead._cron_renewal_watch())
        self.company.logistics_renewal_watch_days = 90
        other = self.env["res.company"].create({"name": "Other Logistics"})
        other.logistics_renewal_watch_days = 0
        account.company_id = other
        self.assertFalse(self.Lead._cron_renewal_watch())
        other.logistics_renewal_watch_days = 90
        # each company has its own target list and knows its own provider facts
        self.assertFalse(self.Lead._cron_renewal_watch())
        account.with_company(other).logistics_target_year = 2026
        self.assertFalse(self.Lead._cron_renewal_watch())
        account.with_company(other).write(
            {
                "logistics_current_provider": "Other's Rival",
                "logistics_provider_contract_end": date(2027, 1, 12),
            }
        )
        opened = self.Lead._cron_renewal_watch()
        self.assertEqual(opened.logistics_current_provider, "Other's Rival")
        self.assertEqual(opened.logistics_renewal_contract_end, date(2027, 1, 12))
        self.assertEqual(opened.company_id, other)
        # the salesperson does not work there: the team's rules assign it
        self.assertFalse(opened.user_id)
        self.assertFalse(opened.activity_ids)

    def test_bounded_batches(self):
        accounts = self.env["res.partner"]
        for day in range(1, 6):
            accounts |= self._target(f"Batch {day}", date(2027, 1, day))
        progress = []
        with (
            patch.object(crm_lead_renewal, "RENEWAL_CRON_BATCH", 2),
            # what the runner is told (compat: each version's ir.cron method)
            patch.object(
                crm_lead_renewal,
                "notify_progress",
                lambda _env, done, remaining: progress.append((done, remaining)),
            ),
        ):
            batches = [self.Lead._cron_renewal_watch() for _call in range(4)]
        self.assertEqual([len(batch) for batch in batches], [2, 2, 1, 0])
        self.assertEqual(progress, [(2, 1), (2, 1), (1, 0), (0, 0)])
        # earliest contract ends first
        self.assertEqual(batches[0].partner_id, accounts[:2])

    def test_lead_keeps_the_provider_on_the_company(self):
        prospect = self.env["res.partner"].create(
            {"name": "Qualified Co", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": prospect.id}
        )
        lead = self.Lead.create({"name": "First talk", "partner_id": contact.id})
        with Form(lead) as form:
            form.logistics_current_provider = "Old Carrier"
            form.logistics_provider_contract_end = date(2027, 5, 31)
        self.assertEqual(prospect.logistics_current_provider, "Old Carrier")
        self.assertEqual(prospect.logistics_provider_contract_end, date(2027, 5, 31))
        self.assertFalse(contact.logistics_provider_contract_end)
        # lost, the deal still leaves the date for the watch
        lead.action_set_lost()
        prospect.logistics_target_year = 2026
        self.company.logistics_renewal_watch_days = 200
        self.assertEqual(self.Lead._cron_renewal_watch().partner_id, prospect)

    def test_won_account_is_not_watched(self):
        account = self._target("Won Over Ltd", date(2027, 1, 10))
        deal = self.Lead.create(
            {"name": "Take it over", "type": "opportunity", "partner_id": account.id}
        )
        deal.action_set_won()
        self.assertFalse(account.logistics_provider_contract_end)
        self.assertFalse(account.logistics_current_provider)
        self.assertFalse(self.Lead._cron_renewal_watch())

    def test_companies_keep_their_own_knowledge(self):
        """A shared prospect: what company A records, opens and wins does not
        open, block or clear company B's watch."""
        other = self.env["res.company"].create({"name": "Sister Forwarding"})
        other.partner_id.tz = "Asia/Shanghai"
        account = self._target("Shared Prospect", date(2027, 1, 10))
        self.assertFalse(account.company_id)
        opened = self.Lead._cron_renewal_watch()
        self.assertEqual(opened.company_id, self.company)
        # B has it on its list with its own date; A's open renewal does not block B
        shared_b = account.with_company(other)
        self.assertFalse(shared_b.logistics_provider_contract_end)
        shared_b.write(
            {
                "logistics_target_year": 2026,
                "logistics_provider_contract_end": date(2027, 1, 25),
            }
        )
        opened_b = self.Lead._cron_renewal_watch()
        self.assertEqual(opened_b.company_id, other)
        self.assertEqual(opened_b.logistics_renewal_contract_end, date(2027, 1, 25))
        # A wins: A's facts are cleared, B's stay
        opened.action_set_won()
        self.assertFalse(account.logistics_provider_contract_end)
        self.assertEqual(shared_b.logistics_provider_contract_end, date(2027, 1, 25))

    def test_new_contract_end_on_a_renewal_is_watched_again(self):
        account = self._target("Renewed Ltd", date(2027, 1, 10))
        renewal = self.Lead._cron_renewal_watch()
        # the prospect renewed with its provider for a year: the rep says so
        renewal.logistics_provider_contract_end = date(2027, 12, 31)
        renewal.action_set_lost()
        self.assertEqual(account.logistics_provider_contract_end, date(2027, 12, 31))
        # an older date from an old lead does not replace it
        self.Lead.create(
            {
                "name": "Old talk",
                "partner_id": account.id,
                "logistics_provider_contract_end": date(2026, 12, 31),
            }
        ).action_set_lost()
        self.assertEqual(account.logistics_provider_contract_end, date(2027, 12, 31))
        account.logistics_target_year = 2027
        with freeze_time("2027-10-15 02:00:00"):
            again = self.Lead._cron_renewal_watch()
        self.assertEqual(again.partner_id, account)
        self.assertEqual(again.logistics_renewal_contract_end, date(2027, 12, 31))

    def test_an_open_lead_blocks_the_watch(self):
        account = self._target("Lead Only Ltd", date(2027, 1, 10))
        self.Lead.create({"name": "Inbound", "type": "lead", "partner_id": account.id})
        self.assertFalse(self.Lead._cron_renewal_watch())

    def test_target_year_default_of_the_company_counts(self):
        account = self._target("Default Ltd", date(2027, 1, 10), year=None)
        self.assertFalse(self.Lead._cron_renewal_watch())
        # an admin puts every company on this year's list by default
        self.env["ir.default"].set(
            "res.partner", "logistics_target_year", 2026, company_id=self.company.id
        )
        self.assertEqual(self.Lead._cron_renewal_watch().partner_id, account)

    def test_watch_days_are_bounded(self):
        for days in (-1, 100000):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.company.logistics_renewal_watch_days = days
                self.company.flush_recordset()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.logistics_renewal_watch_days, 90)

    def test_merged_renewal_keeps_its_contract_end(self):
        account = self._target("Merged Ltd", date(2027, 1, 10))
        renewal = self.Lead._cron_renewal_watch()
        older = self.Lead.create(
            {"name": "Older talk", "type": "opportunity", "partner_id": account.id}
        )
        merged = (renewal | older)._merge_opportunity(auto_unlink=True, max_length=None)
        self.assertEqual(merged.logistics_renewal_contract_end, date(2027, 1, 10))
        merged.action_set_lost()
        self.assertFalse(self.Lead._cron_renewal_watch())

    def test_settings_and_views(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.logistics_renewal_watch_days = 60
        self.assertEqual(self.company.logistics_renewal_watch_days, 60)
        # portal and plain employees do not see the prospect's provider
        for login, groups in (
            ("lcrm_renewal_portal", "base.group_portal"),
            ("lcrm_renewal_employee", "base.group_user"),
        ):
            user = new_test_user(self.env, login=login, groups=groups)
            fields = self.env["res.partner"].with_user(user).fields_get()
            self.assertNotIn("logistics_provider_contract_end", fields)
            self.assertNotIn("logistics_current_provider", fields)
