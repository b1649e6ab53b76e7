from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTicketTour(HttpCase):
    def test_rep_handles_ticket_in_backend(self):
        new_test_user(
            self.env,
            login="lcrm_tour_rep",
            name="Tour Rep",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.env["res.partner"].create({"name": "Tour Shipper", "is_company": True})
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_ticket_action",
            "logistics_ticket_tour",
            login="lcrm_tour_rep",
        )
        ticket = self.env["logistics.ticket"].search(
            [("name", "=", "Tour: pallet missing at Rotterdam")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.tracking_number, "TOUR-4711")
        self.assertEqual(
            ticket.stage_id,
            self.env.ref("logistics_crm.logistics_ticket_stage_resolved"),
        )
        self.assertTrue(ticket.closed_date)
