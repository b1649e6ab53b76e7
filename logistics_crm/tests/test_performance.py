from odoo.fields import Command
from odoo.tests import tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestPartnerListPerformance(LogisticsCrmCase):
    def _make_customers(self, count, prefix):
        services = self.service_ftl | self.service_air
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} customer {i}",
                    "is_company": True,
                    "customer_size": "medium",
                    "service_type_ids": [Command.set(services.ids)],
                    "order_interval_days": 7,
                    "last_order_date": "2026-01-01",
                }
                for i in range(count)
            ]
        )
        self.env["logistics.partner.lane"].create(
            [
                {"partner_id": p.id, "origin": "Origin", "destination": "Destination"}
                for p in partners
            ]
        )
        return partners

    def _count_list_queries(self, partners):
        """Queries to render the partner list (with the addon's columns) as the rep."""
        Partner = self.env["res.partner"].with_user(self.rep)
        views = Partner.get_views([(False, "list")])
        fields_in_list = views["models"]["res.partner"]["fields"]
        self.assertIn("customer_size", fields_in_list)
        self.assertIn("service_type_ids", fields_in_list)
        specification = {
            name: {"fields": {"display_name": {}}}
            if fields_in_list[name]["type"] in ("many2one", "many2many")
            else {}
            for name in fields_in_list
        }
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = Partner.web_search_read(
            [("id", "in", partners.ids)], specification, limit=80
        )
        self.assertEqual(result["length"], len(partners))
        return self.cr.sql_log_count - before

    def test_partner_list_query_count_is_constant(self):
        few = self._make_customers(5, "Few")
        many = self._make_customers(50, "Many")
        self._count_list_queries(few)  # warm caches (ir.rule, ACL, views)
        queries_5 = self._count_list_queries(few)
        queries_50 = self._count_list_queries(many)
        self.assertEqual(
            queries_5,
            queries_50,
            f"partner list: {queries_5} queries for 5 partners, {queries_50} for 50",
        )
