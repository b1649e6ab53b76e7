from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese
from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestCustomerPoolTour(NoReadWriteRetryMixin, HttpCase):
    def test_rep_claims_from_the_pool_in_chinese(self):
        load_chinese(self.env)
        self.env.company.partner_id.tz = "Asia/Shanghai"
        rep = new_test_user(
            self.env,
            login="lcrm_pool_tour_rep",
            password="lcrm_pool_tour_rep_pwd",
            name="公海 Tour Rep",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        customer = self.env["res.partner"].create(
            {"name": "杭州公海物流有限公司", "is_company": True, "city": "杭州"}
        )
        account = self.env["logistics.customer.tier"].create(
            {
                "partner_id": customer.id,
                "company_id": self.env.company.id,
                "computed_tier": "C",
                "value": 88888.0,
            }
        )
        self.assertFalse(account.owner_id)
        self.start_tour(
            "/odoo/action-logistics_crm.res_partner_action_customer_pool",
            "logistics_crm_customer_pool_tour",
            login="lcrm_pool_tour_rep",
        )
        self.assertEqual(account.owner_id, rep)
        claim = account.assignment_ids.filtered("pool_event")
        self.assertEqual(claim.pool_event, "claim")
        self.assertEqual(claim.to_user_id, rep)
