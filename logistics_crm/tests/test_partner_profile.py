from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestPartnerProfile(LogisticsCrmCase):
    def test_company_fields_propagate_to_existing_contacts(self):
        self.customer.write(
            {
                "customer_size": "large",
                "customer_nature": "shipper",
                "lifecycle_stage": "active",
                "service_type_ids": [Command.set(self.service_ftl.ids)],
                "order_interval_days": 10,
                "last_order_date": date(2026, 3, 1),
                "payment_day": 25,
            }
        )
        self.assertEqual(self.contact.customer_size, "large")
        self.assertEqual(self.contact.customer_nature, "shipper")
        self.assertEqual(self.contact.lifecycle_stage, "active")
        self.assertEqual(self.contact.service_type_ids, self.service_ftl)
        self.assertEqual(self.contact.payment_day, 25)
        self.assertEqual(self.contact.expected_next_order_date, date(2026, 3, 11))

    def test_new_contact_takes_company_fields(self):
        self.customer.write({"customer_size": "small", "customer_nature": "agent"})
        new_contact = self.env["res.partner"].create(
            {"name": "Newcomer", "parent_id": self.customer.id}
        )
        self.assertEqual(new_contact.customer_size, "small")
        self.assertEqual(new_contact.customer_nature, "agent")

    def test_person_fields_stay_on_the_person(self):
        self.contact.write(
            {
                "communication_style": "stubborn",
                "birthday": date(1980, 2, 29),
                "preference_notes": "Calls only after lunch",
            }
        )
        self.assertFalse(self.customer.communication_style)
        self.assertFalse(self.customer.birthday)
        other = self.env["res.partner"].create(
            {"name": "Other Contact", "parent_id": self.customer.id}
        )
        self.assertFalse(other.communication_style)
        self.assertEqual(self.contact.communication_style, "stubborn")

    def test_demand_type_follows_services(self):
        self.assertFalse(self.customer.demand_type)
        self.customer.service_type_ids = [Command.set(self.service_ftl.ids)]
        self.assertEqual(self.customer.demand_type, "single")
        self.customer.service_type_ids = [Command.link(self.service_air.id)]
        self.assertEqual(self.customer.demand_type, "comprehensive")
        self.assertEqual(self.contact.demand_type, "comprehensive")
        self.customer.service_type_ids = [Command.clear()]
        self.assertFalse(self.customer.demand_type)

    def test_expected_next_order_date(self):
        self.customer.order_interval_days = 14
        self.assertFalse(
            self.customer.expected_next_order_date, "no last order: no expectation"
        )
        self.customer.last_order_date = date(2026, 12, 25)
        self.assertEqual(self.customer.expected_next_order_date, date(2027, 1, 8))
        self.customer.order_interval_days = 0
        self.assertFalse(
            self.customer.expected_next_order_date, "zero interval: no expectation"
        )

    def test_negative_interval_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.customer.order_interval_days = -3
            self.customer.flush_recordset()

    def test_payment_day_out_of_range_is_refused(self):
        for day in (32, -1):
            with (
                self.subTest(day=day),
                self.assertRaisesRegex(ValidationError, "between 1 and 31"),
            ):
                self.customer.payment_day = day
                self.customer.flush_recordset()
        self.customer.payment_day = 31
        self.customer.payment_day = 0
        self.assertEqual(self.customer.payment_day, 0, "zero means not agreed")

    def test_form_shows_logistics_tab_and_saves(self):
        with Form(self.customer.with_user(self.rep)) as form:
            form.customer_size = "medium"
            form.order_interval_days = 7
            form.last_order_date = date(2026, 1, 1)
            self.assertEqual(form.expected_next_order_date, date(2026, 1, 8))
        self.assertEqual(self.customer.customer_size, "medium")

    def test_mark_profile_verified(self):
        self.contact.with_user(self.rep).action_mark_profile_verified()
        self.assertEqual(self.customer.profile_verified_by_id, self.rep)
        self.assertTrue(self.customer.profile_verified_date)
        self.assertEqual(self.contact.profile_verified_by_id, self.rep)

    def _search_filter_domain(self, user, filter_name, today):
        arch = (
            self.env["res.partner"]
            .with_user(user)
            .get_views([(False, "search")])["views"]["search"]["arch"]
        )
        nodes = etree.fromstring(arch).xpath(f"//filter[@name='{filter_name}']")
        if not nodes:
            return None
        return safe_eval(
            nodes[0].get("domain"),
            {"context_today": lambda: today, "relativedelta": relativedelta},
        )

    def test_profile_not_verified_filter(self):
        Partner = self.env["res.partner"]
        old = Partner.create(
            {"name": "Old", "is_company": True, "profile_verified_date": "2025-11-01"}
        )
        fresh = Partner.create(
            {"name": "Fresh", "is_company": True, "profile_verified_date": "2026-01-05"}
        )
        never = Partner.create({"name": "Never", "is_company": True})
        domain = self._search_filter_domain(
            self.rep, "filter_profile_not_verified", date(2026, 11, 23)
        )
        found = Partner.search(domain + [("id", "in", (old | fresh | never).ids)])
        self.assertEqual(found, old | never)

    def test_views_hidden_from_users_without_groups(self):
        self.assertIsNone(
            self._search_filter_domain(
                self.employee, "filter_profile_not_verified", date(2026, 11, 23)
            )
        )
        form_arch = (
            self.env["res.partner"]
            .with_user(self.employee)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="logistics"', form_arch)
        self.assertNotIn("customer_size", form_arch)
        rep_arch = (
            self.env["res.partner"]
            .with_user(self.rep)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="logistics"', rep_arch)
