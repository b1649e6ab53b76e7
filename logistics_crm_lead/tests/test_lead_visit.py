from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import GROUPS_FIELD
from odoo.addons.logistics_crm.tests.common import LogisticsTierCase


@tagged("post_install", "-at_install")
class TestLeadVisit(LogisticsTierCase):
    """A rep visits a prospect from its opportunity; the visit's outcome moves
    the opportunity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sales administrator (19.0's accounting test user has no sales
        # group; 18.0's had every default group)
        cls.env.user[GROUPS_FIELD] |= cls.env.ref("sales_team.group_sale_manager")
        cls.rep[GROUPS_FIELD] |= cls.env.ref("sales_team.group_sale_salesman")
        cls.rep.tz = "Asia/Shanghai"
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Visited Prospect Co", "is_company": True}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Rail freight for Visited Prospect",
                "type": "opportunity",
                "partner_id": cls.prospect.id,
                "company_id": cls.company.id,
                "user_id": cls.rep.id,
            }
        )
        stages = cls.env["crm.stage"].search([("is_won", "=", False)], order="sequence")
        cls.proposition = stages[-1:]

    def test_visit_planned_from_the_opportunity_moves_it_when_done(self):
        action = self.lead.with_user(self.rep).action_plan_logistics_visit()
        context = action["context"]
        self.assertEqual(context["default_partner_id"], self.prospect.id)
        visit = (
            self.env["logistics.visit"]
            .with_user(self.rep)
            .with_context(**context)
            # 02:00 on 20 November in Shanghai is still the 19th in UTC
            .create({"user_id": self.rep.id, "date": datetime(2026, 11, 19, 18, 0)})
        )
        self.assertEqual(visit.lead_id, self.lead)
        self.assertEqual(self.lead.logistics_visit_count, 1)
        visit.lead_stage_id = self.proposition
        visit.action_done()
        self.assertEqual(self.lead.stage_id, self.proposition)
        self.assertIn("Visit of 2026-11-20 done", self.lead.message_ids[:1].body)
        # on the visit calendar with the customers' visits
        action = self.lead.action_open_logistics_visits()
        self.assertEqual(self.env["logistics.visit"].search(action["domain"]), visit)

    def test_a_rep_without_email_marks_the_visit_done(self):
        """The note on the opportunity does not need the rep's email address."""
        self.rep.email = False
        visit = (
            self.env["logistics.visit"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.prospect.id,
                    "user_id": self.rep.id,
                    "date": datetime(2026, 11, 19, 2, 0),
                    "lead_id": self.lead.id,
                    "lead_stage_id": self.proposition.id,
                }
            )
        )
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(self.lead.stage_id, self.proposition)
        note = self.lead.message_ids[:1]
        self.assertIn("Visit of 2026-11-19 done", note.body)
        self.assertEqual(note.author_id, self.rep.partner_id)

    def test_outsiders_see_no_visits_on_leads(self):
        salesman = new_test_user(
            self.env,
            login="lcrm_lead_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        fields = self.lead.with_user(salesman).fields_get()
        self.assertNotIn("logistics_visit_ids", fields)
        self.assertIn("logistics_trigger", fields)
