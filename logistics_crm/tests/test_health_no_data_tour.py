from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese, set_shares
from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestHealthNoDataTour(NoReadWriteRetryMixin, HttpCase):
    """A manager working in Chinese on a company created from scratch: before
    the first nightly run the overview and the customer say "not computed yet";
    after it, a customer nothing is known of is "no data yet", not 0.0."""

    def test_no_data_is_shown_as_such(self):
        load_chinese(self.env)
        company = self.env["res.company"].create({"name": "No Data Freight Co"})
        # shared prospects (demo data) would be customers of every company
        self.env["res.partner"].search(
            [("company_id", "=", False), ("customer_rank", ">", 0)]
        ).customer_rank = 0
        new_test_user(
            self.env,
            login="lcrm_nodata_tour",
            password="lcrm_nodata_tour_pwd",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        paying, silent = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "customer_rank": 1,
                    "company_id": company.id,
                }
                for name in ("Paying Freight Buyer", "Silent Freight Buyer")
            ]
        )
        today = date.today()
        self.env["logistics.volume"].create(
            {
                "partner_id": paying.id,
                "date": today.replace(day=1),
                "revenue": 1000.0,
                "company_id": company.id,
            }
        )
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        policy.metric = "volume_revenue"
        set_shares(policy, 50)  # the paying customer of the two is a key customer
        policy._recompute_tiers()
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
            "logistics_crm_health_not_computed_tour",
            login="lcrm_nodata_tour",
        )
        self.env["logistics.customer.tier"]._update_health(policy, today)
        account = self.env["logistics.customer.tier"].search(
            [("partner_id", "=", silent.id), ("company_id", "=", company.id)]
        )
        self.assertEqual(account.health_status, "no_data")
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
            "logistics_crm_health_no_data_tour",
            login="lcrm_nodata_tour",
        )
