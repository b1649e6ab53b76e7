from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.tests.common import LogisticsCrmCase

SALES_REP = (
    "base.group_user,sales_team.group_sale_salesman,"
    "logistics_crm.group_logistics_crm_user"
)
SECRET_NOTES = "Wants a 12% rebate"


@tagged("post_install", "-at_install")
class TestLeadDuplicate(LogisticsCrmCase):
    """A lead for a customer that exists, or that another rep owns, says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "in", ["logistics_crm", "logistics_crm_lead"])]
        )._update_translations(["zh_CN"])
        cls.company.country_id = cls.env.ref("base.cn")
        cls.owner = new_test_user(
            cls.env,
            login="lcrm_lead_dup_owner",
            name="王经理",
            groups=SALES_REP,
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.seller = new_test_user(
            cls.env,
            login="lcrm_lead_dup_seller",
            name="李销售",
            groups=SALES_REP,
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.existing = cls.env["res.partner"].create(
            {
                "name": "宁波远航物流有限公司",
                "is_company": True,
                "city": "宁波",
                "phone": "0574-8123 9087",
                "preference_notes": SECRET_NOTES,
            }
        )
        cls.existing.with_company(cls.company).key_account_manager_id = cls.owner
        cls.pool_customer = cls.env["res.partner"].create(
            {"name": "Blue Anchor Freight Co., Ltd.", "is_company": True}
        )

    def _lead(self, user, **vals):
        return (
            self.env["crm.lead"]
            .with_user(user)
            .with_context(lang=user.lang, tz=user.tz)
            .create({"name": "海运询价", "user_id": user.id, **vals})
        )

    def test_lead_for_a_company_name_of_another_rep(self):
        lead = self._lead(self.seller, partner_name="宁波 远航物流（中国）有限公司")
        self.assertEqual(lead.logistics_existing_customer_id, self.existing)
        warning = lead.logistics_duplicate_warning
        self.assertIn("宁波远航物流有限公司（宁波）", warning)
        self.assertIn("公司名称相同", warning)
        self.assertIn("属于 王经理，您不能领取", warning)
        self.assertNotIn(SECRET_NOTES, warning)
        self.assertNotIn("8765", warning)

    def test_lead_by_phone_and_from_the_pool(self):
        lead = self._lead(self.seller, contact_name="张先生", phone="+86 574 81239087")
        self.assertEqual(lead.logistics_existing_customer_id, self.existing)
        self.assertIn("电话号码相同", lead.logistics_duplicate_warning)
        lead = self._lead(self.seller, partner_name="BLUE ANCHOR FREIGHT LIMITED")
        self.assertEqual(lead.logistics_existing_customer_id, self.pool_customer)
        self.assertIn("在公海中，您可以领取", lead.logistics_duplicate_warning)

    def test_lead_for_the_customer_of_another_rep(self):
        lead = self._lead(self.seller, partner_id=self.existing.id)
        self.assertEqual(lead.logistics_existing_customer_id, self.existing)
        self.assertIn("王经理", lead.logistics_duplicate_warning)
        result = lead._onchange_logistics_duplicate()
        self.assertEqual(result["warning"]["title"], "查重")
        # the owner's own lead for the customer is no duplicate
        own = self._lead(self.owner, partner_id=self.existing.id)
        self.assertFalse(own.logistics_existing_customer_id)
        self.assertFalse(own._onchange_logistics_duplicate())

    def test_new_prospect_is_quiet(self):
        lead = self._lead(
            self.seller, partner_name="全新客户贸易有限公司", phone="13912345678"
        )
        self.assertFalse(lead.logistics_existing_customer_id)
        self.assertFalse(lead.logistics_duplicate_warning)
