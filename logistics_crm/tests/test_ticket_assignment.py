from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import LogisticsTicketCase

# Monday 2026-11-16 10:00 UTC: inside the 9-17 UTC calendar of the test team
MONDAY_10AM = "2026-11-16 10:00:00"


@tagged("post_install", "-at_install")
@freeze_time(MONDAY_10AM)
class TestTicketAssignment(LogisticsTicketCase):
    """New tickets reach an available member of the team without dispatching."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user = "base.group_user,logistics_crm.group_logistics_crm_user"
        cls.ann, cls.bob, cls.cid, cls.dee = (
            new_test_user(cls.env, login=f"lcrm_assign_{name}", name=name, groups=user)
            for name in ("ann", "bob", "cid", "dee")
        )
        cls.team.write(
            {
                "member_ids": [
                    Command.set((cls.ann | cls.bob | cls.cid | cls.dee).ids)
                ],
                "assignment_method": "balanced",
            }
        )
        Resource = cls.env["resource.resource"]
        # ann is on time off today
        ann_resource = Resource.create(
            {"name": "Ann", "user_id": cls.ann.id, "calendar_id": cls.calendar.id}
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Ann's day off",
                "resource_id": ann_resource.id,
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2026, 11, 16, 0, 0),
                "date_to": datetime(2026, 11, 16, 23, 59),
            }
        )
        # bob works 9-17 in Shanghai: 10:00 UTC is 18:00 there, after hours
        shanghai = cls.calendar.copy({"name": "Shanghai 9-17", "tz": "Asia/Shanghai"})
        Resource.create(
            {
                "name": "Bob",
                "user_id": cls.bob.id,
                "calendar_id": shanghai.id,
                "tz": "Asia/Shanghai",
            }
        )

    def _new(self, count, **vals):
        return self.env["logistics.ticket"].create(
            [
                {
                    "name": f"Assign {i}",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                    "user_id": False,
                    **vals,
                }
                for i in range(count)
            ]
        )

    def test_balanced_skips_time_off_and_after_hours(self):
        # cid already carries two open tickets
        self._ticket(user_id=self.cid.id)
        self._ticket(user_id=self.cid.id)
        tickets = self._new(4)
        # ann is on time off, bob after hours; dee takes 0 -> 2, then cid and dee
        # are level at 2: cid (the lower id), then dee
        self.assertEqual(
            tickets.mapped(lambda t: t.user_id.name), ["dee", "dee", "cid", "dee"]
        )

    def test_round_robin_goes_on_across_batches(self):
        self.team.assignment_method = "round_robin"

        def names(tickets):
            return tickets.mapped(lambda t: t.user_id.name)

        self.assertEqual(names(self._new(3)), ["cid", "dee", "cid"])
        self.assertEqual(names(self._new(2)), ["dee", "cid"])
        self.assertEqual(names(self._new(1)), ["dee"])

    def test_channels_creator_and_manual_teams(self):
        # email and portal tickets come without handler: assigned
        email = self.env["logistics.ticket"].message_new(
            {
                "subject": "Pallet missing",
                "body": "<p>?</p>",
                "email_from": "Tess <tess@shipper.example.com>",
                "from": "Tess <tess@shipper.example.com>",
                "to": "desk@example.com",
                "message_id": "<assign@example.com>",
            },
            custom_values={"team_id": self.team.id},
        )
        self.assertIn(email.user_id, self.cid | self.dee)
        # a handler chosen explicitly stays
        self.assertEqual(self._ticket(user_id=self.ann.id).user_id, self.ann)
        # a backend form on an automatic team: no creator default
        Ticket = self.env["logistics.ticket"].with_user(self.rep)
        defaults = Ticket.with_context(default_team_id=self.team.id).default_get(
            ["user_id"]
        )
        self.assertFalse(defaults.get("user_id"))
        # a manual team keeps today's behaviour
        self.team.assignment_method = "manual"
        self.assertFalse(self._new(1).user_id)
        self.assertEqual(
            Ticket.with_context(default_team_id=self.team.id).default_get(["user_id"])[
                "user_id"
            ],
            self.rep.id,
        )

    def test_key_accounts_go_to_their_manager_first(self):
        self.team.assign_key_account_first = True
        self._set_tier(self.customer, "A")
        self.customer.with_company(self.env.company).key_account_manager_id = self.rep
        ticket = self._new(1)
        self.assertEqual(ticket.user_id, self.rep)
        # a B customer follows the team's rule
        other = self.env["res.partner"].create({"name": "B Co", "is_company": True})
        self._set_tier(other, "B")
        self.assertIn(self._new(1, partner_id=other.id).user_id, self.cid | self.dee)

    def test_queries_do_not_grow_with_the_batch(self):
        Ticket = self.env["logistics.ticket"]

        def queries(count):
            vals_list = [
                {"name": f"Q {i}", "team_id": self.team.id, "user_id": False}
                for i in range(count)
            ]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Ticket._assign_by_load(vals_list)
            self.assertTrue(all(vals["user_id"] for vals in vals_list))
            return self.env.cr.sql_log_count - before

        queries(1)  # warm the caches of the ORM
        self.assertEqual(queries(5), queries(50))

    def test_team_calendar_in_each_member_time_zone(self):
        # dee has no resource: the team's 9-17 counts in her time zone, and
        # 10:00 UTC is 18:00 in Shanghai
        self.dee.tz = "Asia/Shanghai"
        self.assertEqual(self._new(2).mapped("user_id"), self.cid)
        # a resource without working hours is fully flexible: dee works again
        self.env["resource.resource"].create(
            {"name": "Dee", "user_id": self.dee.id, "calendar_id": False}
        )
        self.assertEqual(
            self._new(3).mapped(lambda t: t.user_id.name), ["dee", "dee", "cid"]
        )

    def test_nobody_available_leaves_it_to_the_team(self):
        with freeze_time("2026-11-16 22:00:00"):  # night for the 9-17 UTC calendar
            self.assertFalse(self._new(2).user_id)
