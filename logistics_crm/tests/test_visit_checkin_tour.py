from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese
from .readonly_requests import NoReadWriteRetryMixin


@tagged("post_install", "-at_install")
class TestVisitCheckInPhoneTour(NoReadWriteRetryMixin, HttpCase):
    """A Chinese rep in Shanghai checks in, out and marks the visit done on a
    phone-sized screen (390 px, touch), without scrolling sideways."""

    browser_size = "390x844"
    touch_enabled = True

    def test_check_in_out_done_on_a_phone(self):
        load_chinese(self.env)
        rep = new_test_user(
            self.env,
            login="lcrm_phone_rep",
            password="lcrm_phone_rep_pwd",
            name="Phone Rep",
            lang="zh_CN",
            tz="Asia/Shanghai",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Phone Tour Customer",
                "is_company": True,
                "partner_latitude": 31.22,
                "partner_longitude": 121.54,
            }
        )
        visit = self.env["logistics.visit"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "date": fields.Datetime.now() + timedelta(hours=1),
                "purpose": "Quarterly review",
            }
        )
        self.start_tour(
            "/odoo/action-logistics_crm.logistics_visit_action_my",
            "logistics_crm_visit_checkin_phone_tour",
            login="lcrm_phone_rep",
        )
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.checkin_located)
        self.assertAlmostEqual(visit.checkin_distance, 111.0, delta=1.0)
        self.assertEqual(visit.checkin_accuracy, 15.0)
        self.assertTrue(visit.checkin_date <= visit.checkout_date <= visit.done_date)
