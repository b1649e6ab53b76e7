from odoo.tests import tagged

from .common import LogisticsTicketCase


@tagged("post_install", "-at_install")
class TestTicketSmartButtonQueries(LogisticsTicketCase):
    def _customers_with_tickets(self, count, prefix):
        partners = self.env["res.partner"].create(
            [{"name": f"{prefix} {i}", "is_company": True} for i in range(count)]
        )
        self.env["logistics.ticket"].create(
            [
                {
                    "name": f"Ticket of {partner.name}",
                    "partner_id": partner.id,
                    "team_id": self.team.id,
                    "user_id": self.rep.id,
                }
                for partner in partners
            ]
        )
        return partners

    def _count_queries(self, partners):
        Partner = self.env["res.partner"].with_user(self.rep)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        rows = Partner.browse(partners.ids).web_read(
            {"display_name": {}, "ticket_count": {}, "open_ticket_count": {}}
        )
        self.assertTrue(all(row["ticket_count"] == 1 for row in rows))
        return self.cr.sql_log_count - before

    def test_smart_button_query_count_is_constant(self):
        few = self._customers_with_tickets(5, "Few")
        many = self._customers_with_tickets(50, "Many")
        self.env.flush_all()
        self._count_queries(few)  # warm the caches (rules, ACLs)
        queries_5 = self._count_queries(few)
        queries_50 = self._count_queries(many)
        self.assertEqual(
            queries_5,
            queries_50,
            f"smart button: {queries_5} queries for 5 partners, {queries_50} for 50",
        )
