from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LogisticsTicketCase
from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
@freeze_time("2026-11-16 08:00:00")
class TestSlaCommitment(LogisticsTicketCase):
    """A customer's own commitments take precedence over the tier's policies
    while they are valid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_tier(cls.customer, "A")
        cls.tier_policy = cls.env["logistics.sla.policy"].create(
            {
                "name": "A customers, urgent",
                "tier": "A",
                "priority": "3",
                "response_hours": 2,
                "resolution_hours": 8,
            }
        )
        cls.commitment = cls.env["logistics.sla.policy"].create(
            {
                "name": "Shipper Inc. contract: 1 h",
                "partner_id": cls.customer.id,
                "response_hours": 1,
                "resolution_hours": 6,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
            }
        )
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Stranger Co", "is_company": True}
        )
        cls._set_tier(cls.stranger, "A")

    def test_commitment_beats_a_more_specific_tier_policy(self):
        ticket = self._ticket(priority="3")
        self.assertEqual(ticket.customer_tier, "A")
        self.assertEqual(ticket.sla_policy_id, self.commitment)
        self.assertTrue(ticket.sla_is_commitment)
        self.assertEqual(str(ticket.sla_response_deadline), "2026-11-16 10:00:00")
        # another customer of the same tier gets the tier's policy
        other = self._ticket(priority="3", partner_id=self.stranger.id)
        self.assertEqual(other.sla_policy_id, self.tier_policy)
        self.assertFalse(other.sla_is_commitment)

    def test_expired_commitment_no_longer_applies(self):
        self.commitment.date_end = date(2026, 10, 31)
        ticket = self._ticket(priority="3")
        self.assertEqual(ticket.sla_policy_id, self.tier_policy)
        with self.assertRaises(ValidationError):
            self.commitment.date_start = date(2026, 11, 30)


@tagged("post_install", "-at_install")
class TestPortalServicePage(NoReadWriteRetryMixin, HttpCase):
    """The portal shows a customer its key-account manager and commitments."""

    def test_customer_sees_its_manager_and_commitments(self):
        company = self.env.company
        manager = new_test_user(
            self.env,
            login="lcrm_portal_kam",
            name="Wang Fang",
            email="wang.fang@forwarder.example.com",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        manager.partner_id.phone = "+86 21 5555 0101"
        customer, other = self.env["res.partner"].create(
            [
                {"name": "Portal KAM Shipper", "is_company": True, "customer_rank": 1},
                {"name": "Other KAM Shipper", "is_company": True, "customer_rank": 1},
            ]
        )
        customer.with_company(company).key_account_manager_id = manager
        self.env["logistics.sla.policy"].create(
            [
                {
                    "name": "Portal KAM Shipper: 1 h answers",
                    "partner_id": customer.id,
                    "response_hours": 1,
                    "resolution_hours": 8,
                },
                {
                    "name": "Other secret commitment",
                    "partner_id": other.id,
                    "response_hours": 1,
                },
            ]
        )
        portal = new_test_user(
            self.env, login="lcrm_portal_kam_customer", groups="base.group_portal"
        )
        portal.partner_id.parent_id = customer
        self.authenticate("lcrm_portal_kam_customer", "lcrm_portal_kam_customer")
        page = self.url_open("/my/logistics/tickets").text
        self.assertIn("Wang Fang", page)
        self.assertIn("wang.fang@forwarder.example.com", page)
        self.assertIn("+86 21 5555 0101", page)
        self.assertIn("Portal KAM Shipper: 1 h answers", page)
        self.assertNotIn("Other secret commitment", page)
