from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import LogisticsTierCase

TODAY = date(2026, 11, 20)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 08:00:00")
class TestVisitScheduling(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Visit = cls.env["logistics.visit"]
        cls.Visit = Visit
        cls.kam = cls._logistics_user("lcrm_kam")
        cls.sponsor = cls._logistics_user("lcrm_sponsor")
        cls.customer = cls._customers(1, prefix="Key")[0]
        cls.tier_row = cls.env["logistics.customer.tier"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "computed_tier": "A",
                "key_account_manager_id": cls.kam.id,
                "executive_sponsor_id": cls.sponsor.id,
            }
        )

    def _planned(self, partner=None):
        return self.Visit.search(
            [
                ("partner_id", "=", (partner or self.customer).id),
                ("state", "=", "planned"),
            ],
            order="cadence",
        )

    def test_my_visits_lists_the_next_due_first(self):
        """My Visits reads as a to-do list (Odoo's My Activities): the overdue
        visit first, then today's, then the next ones; not February on top."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_visit_action_my"
        )
        self.assertEqual(
            safe_eval(action["context"]), {"search_default_filter_planned": 1}
        )
        Visit = self.Visit.with_user(self.kam)
        views = {mode: view_id for view_id, mode in action["views"]}
        orders = {}
        for mode in ("list", "kanban"):
            arch = Visit.get_views([(views[mode], mode)])["views"][mode]["arch"]
            orders[mode] = etree.fromstring(arch).get("default_order")
        self.assertEqual(orders, {"list": "date, id", "kanban": "date, id"})
        visits = {
            when: self.Visit.create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.kam.id,
                    "date": when,
                }
            )
            for when in (
                "2027-02-15 02:00:00",
                "2026-11-20 06:00:00",
                "2026-11-20 01:00:00",
                "2026-11-12 02:00:00",
            )
        }
        domain = safe_eval(action["domain"], {"uid": self.kam.id}) + [
            ("state", "=", "planned")
        ]
        mine = self.Visit.concat(*visits.values())
        listed = Visit.search(domain, order=orders["list"]).filtered(
            lambda visit: visit in mine
        )
        self.assertEqual(
            [str(visit.date) for visit in listed],
            [
                "2026-11-12 02:00:00",
                "2026-11-20 01:00:00",
                "2026-11-20 06:00:00",
                "2027-02-15 02:00:00",
            ],
            "the overdue one first (in red), today's, then the next",
        )
        # the history views keep the newest first
        self.assertEqual(self.Visit._order, "date desc, id desc")

    def test_one_plan_per_cadence_never_duplicated(self):
        self.Visit._schedule_visits(policy=self.policy)
        planned = self._planned()
        self.assertEqual(planned.mapped("cadence"), ["executive", "regular"])
        regular = planned.filtered(lambda v: v.cadence == "regular")
        executive = planned - regular
        self.assertEqual(regular.user_id, self.kam)
        self.assertEqual(regular.kind, "onsite")
        self.assertEqual(executive.user_id, self.sponsor)
        self.assertEqual(executive.kind, "executive")
        self.assertEqual(regular.due_date, TODAY, "no visit yet: due now")
        self.assertEqual(regular.tier, "A")
        counts = self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(counts, {"created": 0, "moved": 0, "dropped": 0})
        self.Visit._cron_schedule_visits()
        self.assertEqual(len(self._planned()), 2)

    def test_done_visit_plans_the_next_one(self):
        self.Visit._schedule_visits(policy=self.policy)
        regular = self._planned().filtered(lambda v: v.cadence == "regular")
        regular.date = datetime(2026, 11, 18, 10, 0)
        regular.with_user(self.kam).action_done()
        self.assertEqual(regular.state, "done")
        following = self._planned().filtered(lambda v: v.cadence == "regular")
        self.assertEqual(len(following), 1)
        self.assertNotEqual(following, regular)
        self.assertEqual(following.due_date, date(2026, 12, 18), "30 days later (A)")
        self.assertEqual(following.user_id, self.kam)

    def test_tier_and_manager_changes_move_the_plan(self):
        self.Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.kam.id,
                "date": datetime(2026, 11, 1, 10, 0),
                "state": "done",
                "company_id": self.company.id,
            }
        )
        self.Visit._schedule_visits(policy=self.policy)
        regular = self._planned().filtered(lambda v: v.cadence == "regular")
        self.assertEqual(regular.due_date, date(2026, 12, 1))
        self.tier_row.computed_tier = "B"
        self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(regular.due_date, date(2027, 1, 30), "B: 90 days")
        self.assertEqual(regular.date.date(), date(2027, 1, 30))
        other_kam = self.manager
        self.customer.key_account_manager_id = other_kam
        self.assertEqual(regular.user_id, other_kam, "the new manager takes the plan")
        self.assertEqual(len(self._planned()), 2)

    def test_left_tier_or_archived_drops_the_plans(self):
        self.Visit._schedule_visits(policy=self.policy)
        manual = self.Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.kam.id,
                "company_id": self.company.id,
                "purpose": "Quarterly business review",
            }
        )
        self.tier_row.computed_tier = "C"
        counts = self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(counts["dropped"], 2)
        self.assertEqual(self._planned(), manual, "hand-planned visits stay")
        self.tier_row.computed_tier = "A"
        self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(len(self._planned()), 3)
        self.customer.active = False
        self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(self._planned(), manual)

    def test_overdue_visits_are_flagged(self):
        visit = self.Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.kam.id,
                "date": datetime(2026, 11, 19, 9, 0),
                "company_id": self.company.id,
            }
        )
        self.assertTrue(visit.is_overdue)
        overdue = self.Visit.search([("is_overdue", "=", True)])
        self.assertIn(visit, overdue)
        visit.action_done()
        self.assertFalse(visit.is_overdue)
        self.assertNotIn(visit, self.Visit.search([("is_overdue", "=", True)]))

    def test_a_first_visit_stays_due_from_its_first_plan(self):
        with freeze_time("2026-11-01 08:00:00"):
            self.Visit._schedule_visits(policy=self.policy)
        regular = self._planned().filtered(lambda v: v.cadence == "regular")
        self.assertEqual(regular.due_date, date(2026, 11, 1))
        counts = self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(counts["moved"], 0, "not pushed to today every night")
        self.assertEqual(regular.due_date, date(2026, 11, 1))
        self.assertTrue(regular.is_overdue)

    def test_replanning_never_hides_an_overdue_visit(self):
        # visited on 1 October: the next A visit (30 days) was due on 31 October
        self.Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.kam.id,
                "date": datetime(2026, 10, 1, 10, 0),
                "state": "done",
                "company_id": self.company.id,
            }
        )
        with freeze_time("2026-11-01 08:00:00"):
            self.Visit._schedule_visits(policy=self.policy)
        regular = self._planned().filtered(lambda v: v.cadence == "regular")
        executive = self._planned() - regular
        self.assertTrue(regular.is_overdue and executive.is_overdue)
        was_due = regular.date
        # B keeps a regular cadence (moved to a new due date), C has none (dropped)
        self.tier_row.computed_tier = "B"
        self.Visit._schedule_visits(policy=self.policy)
        self.assertEqual(regular.overdue_since, was_due)
        self.assertTrue(regular.is_overdue)
        self.tier_row.computed_tier = "C"
        self.Visit._schedule_visits(policy=self.policy)
        self.assertTrue(regular.exists(), "an overdue visit is not dropped")
        self.assertFalse(regular.is_scheduled)
        overdue = self.Visit.search([("is_overdue", "=", True)])
        self.assertEqual(overdue, regular | executive)
        # moved by hand to next week: still overdue, until done
        executive.date = datetime(2026, 11, 27, 9, 0)
        self.assertTrue(executive.is_overdue)
        (regular | executive).action_done()
        self.assertFalse(self.Visit.search([("is_overdue", "=", True)]))

    def test_rep_sees_and_edits_own_visits_only(self):
        own = self.Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.kam.id,
                "company_id": self.company.id,
            }
        )
        others = self.Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.sponsor.id,
                "company_id": self.company.id,
            }
        )
        as_kam = self.Visit.with_user(self.kam)
        self.assertEqual(as_kam.search([("id", "in", (own | others).ids)]), own)
        own.with_user(self.kam).write({"purpose": "Renewal talk"})
        self.assertEqual(own.purpose, "Renewal talk")
        with self.assertRaises(AccessError):
            others.with_user(self.kam).read(["purpose"])
        with self.assertRaises(AccessError):
            others.with_user(self.kam).write({"purpose": "x"})
        as_manager = self.Visit.with_user(self.manager)
        self.assertEqual(
            as_manager.search([("id", "in", (own | others).ids)]), own | others
        )

    def test_visits_of_another_company_are_hidden(self):
        company_2 = self.env["res.company"].create({"name": "Other Forwarder"})
        foreign = self.Visit.create(
            {
                "partner_id": self.customer.id,
                "user_id": self.manager.id,
                "company_id": company_2.id,
            }
        )
        self.assertFalse(
            self.Visit.with_user(self.manager).search([("id", "=", foreign.id)])
        )

    def test_compliance_export(self):
        self.Visit._schedule_visits(policy=self.policy)
        regular = self._planned().filtered(lambda v: v.cadence == "regular")
        regular.date = datetime(2026, 11, 20, 7, 0)
        regular.action_done()
        wizard = self.env["logistics.visit.compliance.wizard"].create(
            {"company_id": self.company.id, "date_from": "2026-01-01"}
        )
        stats = wizard._compliance()
        self.assertEqual(stats[(self.kam.name, "A")]["on_time"], 1)
        self.assertEqual(stats[(self.sponsor.name, "A")]["planned"], 1)
        action = wizard.action_export()
        self.assertIn("/web/content/", action["url"])
        self.assertTrue(wizard.file_data)
