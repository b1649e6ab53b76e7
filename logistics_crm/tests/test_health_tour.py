from datetime import date, datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestHealthTour(NoReadWriteRetryMixin, HttpCase):
    def test_manager_sees_why_an_account_is_at_risk(self):
        company = self.env["res.company"].create({"name": "Health Tour Co"})
        manager = new_test_user(
            self.env,
            login="lcrm_health_tour",
            password="lcrm_health_tour_pwd",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Ailing Freight Buyer",
                "is_company": True,
                "customer_rank": 1,
                "company_id": company.id,
            }
        )
        today = date.today()
        self.env["logistics.volume"].create(
            {
                "partner_id": customer.id,
                "date": today.replace(day=1),
                "revenue": 1000.0,
                "company_id": company.id,
            }
        )
        # three planned visits past their date: the visits signal is 0
        self.env["logistics.visit"].create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": manager.id,
                    "date": datetime.now() - timedelta(days=days),
                    "company_id": company.id,
                }
                for days in (3, 4, 5)
            ]
        )
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        policy.write({"metric": "volume_revenue", "health_weight_trend": 0.0})
        policy._recompute_tiers()
        self.env["logistics.customer.tier"]._update_health(policy, today)
        # healthy before the month began: the month's worst mover
        account = self.env["logistics.customer.tier"].search(
            [("partner_id", "=", customer.id), ("company_id", "=", company.id)]
        )
        self.env["logistics.account.health"].create(
            {
                "account_id": account.id,
                "partner_id": customer.id,
                "company_id": company.id,
                "date": today.replace(day=1) - timedelta(days=10),
                "score": 90.0,
            }
        )
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
            "logistics_crm_health_tour",
            login="lcrm_health_tour",
        )
