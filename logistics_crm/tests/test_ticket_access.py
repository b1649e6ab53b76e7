from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LogisticsTicketCase


@tagged("post_install", "-at_install")
class TestTicketAccess(LogisticsTicketCase):
    def test_rep_sees_team_and_own_tickets(self):
        team_ticket = self._ticket(user_id=self.leader.id)
        own_elsewhere = self._ticket(team_id=self.other_team.id, user_id=self.rep.id)
        foreign = self._ticket(team_id=self.other_team.id, user_id=self.other_rep.id)
        visible = self.env["logistics.ticket"].with_user(self.rep).search([])
        self.assertIn(team_ticket, visible)
        self.assertIn(own_elsewhere, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            foreign.with_user(self.rep).read(["name"])
        # the team leader sees the team's tickets
        self.assertIn(
            team_ticket, self.env["logistics.ticket"].with_user(self.leader).search([])
        )
        # managers see everything
        managed = self.env["logistics.ticket"].with_user(self.manager).search([])
        self.assertTrue((team_ticket | own_elsewhere | foreign) <= managed)

    def test_key_account_manager_sees_accounts_tickets(self):
        kam = new_test_user(
            self.env,
            login="lcrm_kam",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.customer.key_account_manager_id = kam
        ticket = self._ticket(team_id=self.other_team.id, user_id=self.other_rep.id)
        self.assertEqual(ticket.key_account_manager_id, kam)
        self.assertIn(kam.partner_id, ticket.message_partner_ids)
        self.assertTrue(ticket.with_user(kam).read(["name"]))
        # a new key-account manager follows the open tickets of the account
        successor = new_test_user(
            self.env,
            login="lcrm_kam_2",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.customer.key_account_manager_id = successor
        self.assertIn(successor.partner_id, ticket.message_partner_ids)

    def test_rep_handles_a_ticket(self):
        Ticket = self.env["logistics.ticket"].with_user(self.rep)
        ticket = Ticket.create({"name": "Rep ticket", "partner_id": self.contact.id})
        self.assertEqual(ticket.user_id, self.rep)
        ticket.write({"stage_id": self.stage_progress.id, "resolution": "<p>Done</p>"})
        with self.assertRaises(AccessError):
            ticket.unlink()

    def test_employee_without_group(self):
        ticket = self._ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            self.env["logistics.ticket"].with_user(self.employee).create({"name": "x"})

    def test_configuration_is_manager_only(self):
        for model, values in (
            ("logistics.ticket.type", {"name": "Rep type"}),
            ("logistics.ticket.stage", {"name": "Rep stage"}),
            ("logistics.ticket.team", {"name": "Rep team"}),
            ("logistics.sla.policy", {"name": "Rep SLA"}),
        ):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.rep).create(values)
            self.assertTrue(self.env[model].with_user(self.manager).create(values))
        with self.assertRaises(AccessError):
            self.policy.with_user(self.rep).write({"response_hours": 99})
        # reps read the configuration they use on tickets
        self.assertTrue(self.team.with_user(self.rep).name)

    def test_partner_smart_button_counts_visible_tickets(self):
        self._ticket()
        self._ticket(stage_id=self.stage_resolved.id)
        partner = self.customer.with_user(self.manager)
        self.assertEqual(partner.ticket_count, 2)
        self.assertEqual(partner.open_ticket_count, 1)
        action = partner.action_open_tickets()
        self.assertEqual(action["res_model"], "logistics.ticket")

    def test_complaint_rate(self):
        self._ticket(type_id=self.type_complaint.id)
        # a damage claim is a complaint too (seeded flag); a tracking question not
        self._ticket(type_id=self.type_damage.id)
        self._ticket(type_id=self.type_tracking.id)
        self.env["logistics.volume"].create(
            {
                "partner_id": self.customer.id,
                "date": "2026-01-01",
                "shipment_count": 400,
            }
        )
        self.assertEqual(self.customer.complaint_count, 2)
        self.assertAlmostEqual(self.customer.complaint_rate, 0.5)


@tagged("post_install", "-at_install")
class TestTicketMultiCompany(LogisticsTicketCase):
    def test_company_isolation_and_sequences(self):
        company_b = self.env["res.company"].create({"name": "LCRM Company B"})
        rep_b = new_test_user(
            self.env,
            login="lcrm_rep_b",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        team_b = self.env["logistics.ticket.team"].create(
            {"name": "Desk B", "company_id": company_b.id}
        )
        ticket_a = self._ticket()
        ticket_b = (
            self.env["logistics.ticket"]
            .with_company(company_b)
            .create(
                {
                    "name": "B ticket",
                    "company_id": company_b.id,
                    "team_id": team_b.id,
                    "user_id": rep_b.id,
                }
            )
        )
        self.assertNotEqual(
            self.env["logistics.ticket"]._ticket_sequence(company_b),
            self.env["logistics.ticket"]._ticket_sequence(self.env.company),
        )
        self.assertTrue(ticket_b.number.startswith("TCK/"))
        visible = self.env["logistics.ticket"].with_user(rep_b).search([])
        self.assertIn(ticket_b, visible)
        self.assertNotIn(ticket_a, visible)
        self.assertFalse(
            self.env["logistics.ticket.team"]
            .with_user(rep_b)
            .search([("id", "=", self.team.id)])
        )
        # a team of company B does not serve company A's tickets
        with self.assertRaises(UserError):
            ticket_a.write({"team_id": team_b.id})

    def test_ticket_of_another_company_gets_that_companys_team(self):
        """Created from company A's session (an integrator, a job) for company B:
        B's default team, not A's (which the company check would refuse)."""
        company_b = self.env["res.company"].create({"name": "LCRM Company B2"})
        team_b = self.env["logistics.ticket.team"].create(
            {"name": "Desk B2", "company_id": company_b.id}
        )
        company_c = self.env["res.company"].create({"name": "LCRM Company C"})
        self.assertTrue(self.env["logistics.ticket.team"]._default_team_for())
        tickets = (
            self.env["logistics.ticket"]
            .sudo()
            .create(
                [
                    {"name": "For B", "company_id": company_b.id},
                    {"name": "For C", "company_id": company_c.id},
                    {"name": "For A"},
                ]
            )
        )
        self.assertEqual(tickets[0].team_id, team_b)
        self.assertFalse(tickets[1].team_id, "company C has no team")
        self.assertEqual(tickets[2].company_id, self.env.company)
        self.assertEqual(tickets[2].team_id.company_id, self.env.company)
