from datetime import timedelta

from odoo import fields, http
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestTicketPortalTiers(NoReadWriteRetryMixin, HttpCase):
    """Customers of every tier open tickets from the portal, after a real recompute.

    The tiers are ranked in a company of their own so that no other data (demo
    customers) takes part in the ranking.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "LCRM Portal Tiers"})
        cls.env.user.company_ids |= cls.company
        # shared prospects (e.g. demo data) would be in every company's scope
        cls.env["res.partner"].search(
            [("company_id", "=", False), ("customer_rank", ">", 0)]
        ).customer_rank = 0
        cls.tier_policy = cls.company.logistics_tier_policy_id
        cls.tier_policy.metric = "volume_revenue"
        # C's default differs from the fallback "Normal": the tier must set it
        cls.tier_policy._service_level("C").write({"ticket_priority": "0"})
        # 20 customers with distinct revenue: 1 A (5%), 3 B (15%), 16 C
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Tiered Shipper {i:02d}",
                    "is_company": True,
                    "company_id": cls.company.id,
                }
                for i in range(20)
            ]
        )
        month = fields.Date.context_today(cls.env.user).replace(day=1)
        cls.env["logistics.volume"].create(
            [
                {
                    "partner_id": customer.id,
                    "date": month,
                    "revenue": 1000.0 * (20 - i),
                    "shipment_count": 10,
                    "company_id": cls.company.id,
                }
                for i, customer in enumerate(cls.customers)
            ]
        )
        cls.tier_policy._recompute_tiers()
        # round the clock: the deadlines are the creation plus the target hours
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Test 24/7",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        cls.team = cls.env["logistics.ticket.team"].create(
            {
                "name": "Tiers Desk",
                "company_id": cls.company.id,
                "resource_calendar_id": cls.calendar.id,
            }
        )
        SlaPolicy = cls.env["logistics.sla.policy"]
        cls.sla = {
            tier: SlaPolicy.create(
                {
                    "name": f"Tier {tier} SLA",
                    "company_id": cls.company.id,
                    "tier": tier,
                    "response_hours": response,
                    "resolution_hours": resolution,
                }
            )
            for tier, response, resolution in (("A", 1, 4), ("B", 2, 8), ("C", 8, 40))
        }
        cls.portal_users = {}
        for tier, customer in (
            ("A", cls.customers[0]),
            ("B", cls.customers[1]),
            ("C", cls.customers[19]),
        ):
            login = f"lcrm_portal_tier_{tier.lower()}"
            user = new_test_user(
                cls.env,
                login=login,
                groups="base.group_portal",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            user.partner_id.parent_id = customer
            cls.portal_users[tier] = user

    def test_recompute_ranked_the_customers(self):
        tiers = [c.with_company(self.company).tier for c in self.customers]
        self.assertEqual(tiers, ["A"] + ["B"] * 3 + ["C"] * 16)

    def test_portal_ticket_gets_tier_priority_and_sla(self):
        expected = {"A": ("3", 1, 4), "B": ("2", 2, 8), "C": ("0", 8, 40)}
        for tier, (priority, response, resolution) in expected.items():
            with self.subTest(tier=tier):
                user = self.portal_users[tier]
                self.authenticate(user.login, user.login)
                title = f"Pallet lost, tier {tier}"
                response_http = self.url_open(
                    "/my/logistics/tickets/submit",
                    data={
                        "csrf_token": http.Request.csrf_token(self),
                        "name": title,
                        "description": "One pallet missing at delivery.",
                    },
                )
                self.assertEqual(response_http.status_code, 200)
                ticket = self.env["logistics.ticket"].search([("name", "=", title)])
                self.assertEqual(len(ticket), 1, "the portal user can open a ticket")
                self.assertIn(title, response_http.text)
                self.assertEqual(ticket.company_id, self.company)
                self.assertEqual(ticket.team_id, self.team)
                self.assertEqual(ticket.channel, "portal")
                self.assertEqual(ticket.customer_tier, tier)
                self.assertEqual(ticket.priority, priority)
                self.assertEqual(ticket.sla_policy_id, self.sla[tier])
                start = ticket.sla_start_date
                self.assertEqual(
                    ticket.sla_response_deadline, start + timedelta(hours=response)
                )
                self.assertEqual(
                    ticket.sla_resolution_deadline, start + timedelta(hours=resolution)
                )
                self.assertEqual(ticket.sla_status, "on_track")
