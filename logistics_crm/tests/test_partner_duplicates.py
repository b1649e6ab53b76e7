"""The duplicate check (查重) before a customer is created: by normalised
company name, by unified social credit code and by phone number, on the form,
through JSON-RPC-like create/write and on import (``load``)."""

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import MOBILE_FIELD, PHONE_FIELDS

from .common import LogisticsCrmCase, load_chinese

CRM_USER = "base.group_user,logistics_crm.group_logistics_crm_user"
CODE = "91110000600037341L"
# the duplicate-check key of a mobile number (19.0: a contact's one phone number)
MOBILE_KEY = f"logistics_{MOBILE_FIELD}_key"
OTHER_CODE = "91310000MA1FL1234Q"
SECRET_NOTES = "Pays late, wants a 12% rebate"
SECRET_COMMODITIES = "Lithium batteries, declared as toys"


@tagged("post_install", "-at_install")
class TestPartnerDuplicates(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.company.country_id = cls.env.ref("base.cn")
        cls.company.logistics_block_duplicate_customers = False
        cls.zh_rep = new_test_user(
            cls.env,
            login="lcrm_dedupe_zh_rep",
            name="李销售",
            groups=CRM_USER,
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.owner = new_test_user(
            cls.env,
            login="lcrm_dedupe_owner",
            name="王经理",
            groups=CRM_USER,
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        Partner = cls.env["res.partner"]
        cls.existing = Partner.create(
            {
                "name": "上海远航物流（中国）有限公司",
                "is_company": True,
                "city": "上海",
                "phone": "021-6234 5678",
                "credit_code": CODE,
                "commodities": SECRET_COMMODITIES,
                "preference_notes": SECRET_NOTES,
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.existing.with_company(cls.company).key_account_manager_id = cls.owner
        cls.pool_customer = Partner.create(
            {"name": "Far Sail Freight Co., Ltd.", "is_company": True, "city": "宁波"}
        )
        cls.existing_contact = Partner.create(
            {
                "name": "赵联系",
                "parent_id": cls.existing.id,
                MOBILE_FIELD: "+86 138 0013 8000",
            }
        )

    def _as(self, user):
        """The partners as `user` works on them (their language in the context,
        as the web client and JSON-RPC send it)."""
        return (
            self.env["res.partner"]
            .with_user(user)
            .with_context(lang=user.lang, tz=user.tz)
        )

    def _block(self, block=True):
        self.company.logistics_block_duplicate_customers = block

    def _notes(self, partner):
        return partner.message_ids.filtered(
            lambda m: m.message_type == "notification"
        ).mapped("body")

    # the keys ---------------------------------------------------------------
    def test_keys_are_stored_normalised(self):
        self.assertEqual(self.existing.logistics_name_key, "上海远航物流")
        self.assertEqual(self.existing.logistics_phone_key, "+862162345678")
        self.assertEqual(self.existing_contact[MOBILE_KEY], "+8613800138000")
        # people are not matched by name
        self.assertFalse(self.existing_contact.logistics_name_key)

    # the credit code --------------------------------------------------------
    def test_credit_code_stored_compact_and_upper_case(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Code Shipper",
                "is_company": True,
                "credit_code": " 9131 0000-ma1fl1234q",
            }
        )
        self.assertEqual(partner.credit_code, OTHER_CODE)
        partner.credit_code = "９１３１００００ＭＡ１ＦＬ１２３４Ｑ"
        self.assertEqual(partner.credit_code, OTHER_CODE)

    def test_invalid_credit_code_refused_in_chinese(self):
        partner = self._as(self.zh_rep).create(
            {"name": "校验码客户", "is_company": True}
        )
        with self.assertRaisesRegex(ValidationError, "统一社会信用代码.*无效"):
            partner.write({"credit_code": "91310000MA1FL1234X"})

    def test_credit_code_unique_per_company(self):
        Partner = self.env["res.partner"]
        with self.assertRaisesRegex(ValidationError, "已被"):
            self._as(self.zh_rep).create(
                {"name": "完全不同的公司", "is_company": True, "credit_code": CODE}
            )
        other = Partner.create({"name": "Another Name Ltd", "is_company": True})
        with self.assertRaises(ValidationError):
            other.write({"credit_code": CODE.lower()})
        # a contact of the customer is not another customer
        contact = Partner.create(
            {"name": "Contact With Code", "parent_id": self.existing.id}
        )
        contact.credit_code = CODE
        self.assertEqual(contact.credit_code, CODE)

    def test_credit_code_may_repeat_in_another_company(self):
        company_b = self.env["res.company"].create({"name": "Dedupe Company B"})
        Partner = self.env["res.partner"]
        first = Partner.create(
            {
                "name": "A Rail",
                "is_company": True,
                "company_id": self.company.id,
                "credit_code": OTHER_CODE,
            }
        )
        second = Partner.create(
            {
                "name": "B Rail",
                "is_company": True,
                "company_id": company_b.id,
                "credit_code": OTHER_CODE,
            }
        )
        self.assertEqual(first.credit_code, second.credit_code)
        # a shared customer is in both companies: it collides with either
        with self.assertRaises(ValidationError):
            Partner.create(
                {"name": "Shared Rail", "is_company": True, "credit_code": OTHER_CODE}
            )

    def test_import_with_a_used_credit_code_refused(self):
        result = self._as(self.zh_rep).load(
            ["name", "is_company", "credit_code"],
            [["重复代码物流", "1", CODE]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("统一社会信用代码", result["messages"][0]["message"])

    # warning only (the default) ---------------------------------------------
    def test_duplicate_name_created_with_a_note(self):
        partner = self._as(self.zh_rep).create(
            {"name": "上海 远航物流 有限责任公司", "is_company": True}
        )
        notes = self._notes(partner)
        self.assertEqual(len(notes), 1)
        self.assertIn("查重", notes[0])
        self.assertIn("上海远航物流（中国）有限公司", notes[0])
        self.assertIn("公司名称相同", notes[0])
        self.assertIn("王经理", notes[0])
        self.assertNotIn(SECRET_NOTES, notes[0])

    def test_no_note_without_duplicate(self):
        partner = self.env["res.partner"].create(
            {
                "name": "全新物流有限公司",
                "is_company": True,
                "phone": "+86 10 8888 1234",
            }
        )
        self.assertFalse(self._notes(partner))

    def test_import_of_duplicates_succeeds_when_not_blocking(self):
        result = self._as(self.zh_rep).load(
            ["name", "is_company", "phone"],
            [
                ["上海远航物流有限公司", "1", ""],
                ["Another Far Sail", "1", "13800138000"],
            ],
        )
        self.assertEqual(len(result["ids"]), 2, result["messages"])
        first, second = self.env["res.partner"].browse(result["ids"])
        self.assertIn("上海远航物流（中国）有限公司", self._notes(first)[0])
        # the number of a contact of the customer
        self.assertIn("电话号码相同", self._notes(second)[0])
        self.assertIn("上海远航物流（中国）有限公司", self._notes(second)[0])

    # blocking ---------------------------------------------------------------
    def test_blocking_refuses_name_code_and_phone(self):
        self._block()
        Partner = self._as(self.zh_rep)
        for vals, reason in (
            ({"name": "上海远航物流股份有限公司"}, "公司名称相同"),
            ({"name": "远航 Phone", "phone": "+86 21 62345678"}, "电话号码相同"),
            ({"name": "远航 Mobile", MOBILE_FIELD: "0086 13800138000"}, "电话号码相同"),
        ):
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as caught:
                    Partner.create({"is_company": True, **vals})
                message = str(caught.exception)
                self.assertIn("查重", message)
                self.assertIn("上海远航物流（中国）有限公司（上海）", message)
                self.assertIn(reason, message)
                self.assertIn("属于 王经理，您不能领取", message)
                self.assertNotIn(SECRET_COMMODITIES, message)

    def test_blocking_names_the_pool(self):
        self._block()
        with self.assertRaises(ValidationError) as caught:
            self._as(self.zh_rep).create(
                {"name": "FAR SAIL Freight Limited", "is_company": True}
            )
        message = str(caught.exception)
        self.assertIn("Far Sail Freight Co., Ltd.（宁波）", message)
        self.assertIn("在公海中，您可以领取", message)

    def test_blocking_refuses_the_import_row(self):
        self._block()
        Partner = self._as(self.zh_rep)
        result = Partner.load(["name", "is_company"], [["上海远航物流有限公司", "1"]])
        self.assertFalse(result["ids"])
        self.assertIn("王经理", result["messages"][0]["message"])
        self.assertFalse(Partner.search([("name", "=", "上海远航物流有限公司")]))

    def test_blocking_is_per_company(self):
        company_b = self.env["res.company"].create({"name": "Dedupe Company C"})
        self._block()
        partner = self.env["res.partner"].create(
            {
                "name": "上海远航物流有限公司",
                "is_company": True,
                "company_id": company_b.id,
            }
        )
        self.assertTrue(partner)
        self.assertIn("上海远航物流（中国）有限公司", self._notes(partner)[0])
        # the customer of company B is not a duplicate in this company
        with self.assertRaises(ValidationError) as caught:
            self._as(self.zh_rep).create(
                {
                    "name": "上海远航物流",
                    "is_company": True,
                    "company_id": self.company.id,
                }
            )
        self.assertIn("上海远航物流（中国）有限公司", str(caught.exception))
        self.assertNotIn("公海", str(caught.exception))

    def test_blocking_leaves_contacts_users_and_companies_alone(self):
        self._block()
        contact = self.env["res.partner"].create(
            {
                "name": "上海远航物流有限公司",
                "parent_id": self.pool_customer.id,
                "phone": "021-6234 5678",
            }
        )
        self.assertTrue(contact)
        user = new_test_user(
            self.env,
            login="lcrm_dedupe_user",
            name="Far Sail Freight",
            groups="base.group_user",
        )
        self.assertTrue(user)
        company = self.env["res.company"].create({"name": "上海远航物流有限公司"})
        self.assertTrue(company.partner_id)

    def test_blocking_is_a_setting(self):
        settings = self.env["res.config.settings"].create(
            {"logistics_block_duplicate_customers": True}
        )
        settings.execute()
        self.assertTrue(self.company.logistics_block_duplicate_customers)

    # the form ---------------------------------------------------------------
    def test_form_warns_without_private_data(self):
        partner = self._as(self.zh_rep).new(
            {"name": "上海远航物流有限公司", "is_company": True}
        )
        result = partner._onchange_logistics_duplicates()
        message = result["warning"]["message"]
        self.assertEqual(result["warning"]["title"], "查重")
        self.assertIn("该客户可能已存在", message)
        self.assertIn("上海远航物流（中国）有限公司（上海）", message)
        self.assertIn("王经理", message)
        for private in (SECRET_NOTES, SECRET_COMMODITIES, CODE, "6234"):
            self.assertNotIn(private, message)

    def test_form_tells_the_owner_it_is_theirs(self):
        partner = self._as(self.owner).new(
            {"name": "Other", "is_company": True, "credit_code": CODE}
        )
        message = partner._onchange_logistics_duplicates()["warning"]["message"]
        self.assertIn("统一社会信用代码相同", message)
        self.assertIn("已是您的客户", message)

    def test_form_editing_the_customer_itself_is_no_duplicate(self):
        partner = self.existing.with_user(self.owner)
        self.assertFalse(partner._onchange_logistics_duplicates())

    def test_form_quiet_for_users_outside_the_addon(self):
        partner = self._as(self.employee).new(
            {"name": "上海远航物流有限公司", "is_company": True}
        )
        self.assertFalse(partner._onchange_logistics_duplicates())

    def test_one_search_for_a_batch(self):
        Partner = self.env["res.partner"]
        batch = Partner.new({"name": "上海远航物流", "is_company": True}) | Partner.new(
            {"name": "far sail freight", "is_company": True}
        )
        found = batch._logistics_find_duplicates()
        self.assertEqual(
            {p.name: list(d) for p, d in found.items()},
            {
                "上海远航物流": [self.existing.sudo()],
                "far sail freight": [self.pool_customer.sudo()],
            },
        )

    def test_web_client_onchange_warns(self):
        spec = dict.fromkeys(
            ["name", "is_company", "parent_id", *PHONE_FIELDS, "credit_code"], {}
        )
        result = self._as(self.zh_rep).onchange(
            {"name": "上海远航物流集团有限公司", "is_company": True}, ["name"], spec
        )
        self.assertEqual(result["warning"]["title"], "查重")
        self.assertIn("上海远航物流（中国）有限公司", result["warning"]["message"])

    def _find_queries(self, count):
        # a cold cache (new records keep their values only in it)
        self.env.invalidate_all()
        Partner = self.env["res.partner"]
        batch = Partner.browse()
        for index in range(count):
            batch |= Partner.new(
                {
                    "name": f"上海远航物流 {index}",
                    "is_company": True,
                    "phone": "021 6234 5678",
                    "credit_code": CODE if index == 0 else False,
                }
            )
        before = self.env.cr.sql_log_count
        found = batch._logistics_find_duplicates()
        self.assertEqual(len(found), count)
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_batch(self):
        self._find_queries(1)  # fills Odoo's own caches (ormcache)
        self.assertEqual(self._find_queries(1), self._find_queries(25))

    def test_keys_are_indexed(self):
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner'"
        )
        indexes = {row[0] for row in self.env.cr.fetchall()}
        for name in (
            "logistics_name_key",
            "logistics_phone_key",
            "logistics_mobile_key",
            "credit_code",
        ):
            self.assertIn(f"res_partner__{name}_index", indexes)

    def test_pool_customer_past_the_reps_limit_is_not_theirs_to_claim(self):
        self._block()
        policy = self.env["logistics.tier.policy"]._get_company_policy(self.company)
        policy.pool_owned_limit = 1
        # the rep's own customer: they own as many as they may
        own = self.env["res.partner"].create(
            {"name": "李销售的客户", "is_company": True}
        )
        own.with_company(self.company).key_account_manager_id = self.zh_rep
        self.assertEqual(own.with_company(self.company).account_owner_id, self.zh_rep)
        account = self.pool_customer.with_company(
            self.company
        )._logistics_pool_accounts()
        self.assertFalse(account.owner_id)
        with self.assertRaises(ValidationError) as caught:
            self._as(self.zh_rep).create(
                {"name": "FAR SAIL Freight Limited", "is_company": True}
            )
        message = str(caught.exception)
        self.assertIn("在公海中", message)
        self.assertNotIn("您可以领取", message)

    def test_merge_keeps_the_credit_code_of_the_source(self):
        Partner = self.env["res.partner"]
        source = Partner.create(
            {"name": "Merge Source Rail", "is_company": True, "credit_code": OTHER_CODE}
        )
        target = Partner.create({"name": "Merge Target Rail", "is_company": True})
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(source | target).ids)
            .create({"dst_partner_id": target.id})
        )
        wizard.action_merge()
        self.assertFalse(source.exists())
        self.assertEqual(target.credit_code, OTHER_CODE)
