from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestVisitTour(NoReadWriteRetryMixin, HttpCase):
    def test_rep_daily_loop(self):
        rep = new_test_user(
            self.env,
            login="lcrm_tour_rep",
            password="lcrm_tour_rep_pwd",
            name="Tour Rep",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Freight Customer",
                "is_company": True,
                # 19.0's chatter sends nothing while a suggested recipient (the
                # ticket's customer) has no email address
                "email": "desk@tour-freight.example.com",
            }
        )
        self.env["logistics.customer.tier"].create(
            {
                "partner_id": customer.id,
                "company_id": self.env.company.id,
                "computed_tier": "A",
                # set with the account: no cadence visit planned before the tour
                "key_account_manager_id": rep.id,
            }
        )
        ticket = self.env["logistics.ticket"].create(
            {
                "name": "Pallet damaged on arrival",
                "partner_id": customer.id,
                "user_id": rep.id,
            }
        )
        visit = self.env["logistics.visit"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "date": fields.Datetime.now() - timedelta(hours=2),
                "purpose": "Quarterly review",
            }
        )
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_visit_action_my",
            "logistics_crm_visit_outcome_tour",
            login="lcrm_tour_rep",
        )
        self.assertEqual(visit.state, "done")
        self.assertIn("weekly LTL", str(visit.outcome))
        self.assertEqual(visit.next_steps, "Send the LTL quote by Friday")
        self.assertEqual(visit.satisfaction, "5", "fourth star: very happy")
        following = self.env["logistics.visit"].search(
            [("partner_id", "=", customer.id), ("state", "=", "planned")]
        )
        self.assertEqual(len(following), 1, "the next visit is planned")
        self.assertEqual(following.user_id, rep)
        self.assertIn(
            "opened a claim with the carrier",
            " ".join(ticket.message_ids.mapped("body")),
            "the rep answered the ticket",
        )
