from lxml import etree

from odoo.tests import TransactionCase, tagged

from odoo.addons.logistics_crm.compat import ODOO_19

from .common import LogisticsCrmCase

# the models the addon extends with fields of its own
EXTENDED_MODELS = (
    "res.partner",
    "res.users",
    "res.company",
    "res.config.settings",
    "account.move",
    "mail.activity",
    "survey.user_input",
    "survey.question",
)


class FieldLabelCollisionMixin:
    """No field an addon adds to a model is labelled like another field of that
    model, in English or in Chinese: Odoo's customer_rank reads 客户等级 in
    zh_CN, and a grade labelled alike made "group by 客户等级" group by rank."""

    @classmethod
    def _load_chinese(cls, addon, models):
        cls.env["res.lang"]._activate_lang("zh_CN")
        fields_ = cls.env["ir.model.fields"].search([("model", "in", list(models))])
        owners = set(
            cls.env["ir.model.data"]
            .search([("model", "=", "ir.model.fields"), ("res_id", "in", fields_.ids)])
            .mapped("module")
        )
        cls.env["ir.module.module"].search(
            [("name", "in", list(owners | {addon})), ("state", "=", "installed")]
        )._update_translations(["zh_CN"])

    def _collisions(self, addon, models):
        own_ids = set(
            self.env["ir.model.data"]
            .search([("module", "=", addon), ("model", "=", "ir.model.fields")])
            .mapped("res_id")
        )
        found = []
        for lang in ("en_US", "zh_CN"):
            Fields = self.env["ir.model.fields"].with_context(lang=lang)
            for model in models:
                labels = {}
                for field in Fields.search([("model", "=", model)]):
                    key = field.field_description.strip().casefold()
                    labels.setdefault(key, []).append(field)
                for same in labels.values():
                    mine = [f for f in same if f.id in own_ids]
                    if mine and len(same) > 1:
                        found.append(
                            (
                                lang,
                                model,
                                same[0].field_description,
                                sorted(f.name for f in same),
                            )
                        )
        return found


@tagged("post_install", "-at_install")
class TestFieldLabels(FieldLabelCollisionMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese("logistics_crm", EXTENDED_MODELS)

    def test_no_label_collides(self):
        self.assertEqual(self._collisions("logistics_crm", EXTENDED_MODELS), [])

    def test_grade_is_not_customer_rank_in_chinese(self):
        Partner = self.env["res.partner"].with_context(lang="zh_CN")
        labels = Partner.fields_get(["tier", "customer_rank"], ["string"])
        self.assertEqual(labels["customer_rank"]["string"], "客户等级")
        self.assertEqual(labels["tier"]["string"], "客户分级")

    def test_the_check_sees_a_collision(self):
        field = self.env.ref("logistics_crm.field_res_partner__tier")
        field.with_context(lang="zh_CN").field_description = "客户等级"
        self.assertIn(
            ("zh_CN", "res.partner", "客户等级", ["customer_rank", "tier"]),
            self._collisions("logistics_crm", ["res.partner"]),
        )


@tagged("post_install", "-at_install")
class TestCustomerSearchByGrade(LogisticsCrmCase):
    """The customers' search filters and groups by grade, the current
    company's grades named in the user's language."""

    def _search_arch(self, user):
        Partner = self.env["res.partner"].with_user(user)
        view = self.env.ref("base.view_res_partner_filter")
        return etree.fromstring(Partner.get_view(view.id, "search")["arch"])

    def test_one_filter_per_grade_and_a_group_by(self):
        arch = self._search_arch(self.rep)
        policy = self.env["logistics.tier.policy"]._get_company_policy(self.env.company)
        grades = policy.grade_ids.sorted("sequence")
        filters = arch.xpath("//filter[starts-with(@name, 'filter_tier_')]")
        by_string = {f.get("string"): f.get("domain") for f in filters}
        for grade in grades:
            self.assertEqual(by_string[grade.name], repr([("tier", "=", grade.code)]))
        (group_by,) = arch.xpath("//filter[@name='group_tier']")
        self.assertEqual(group_by.get("context"), "{'group_by': 'tier'}")
        # a plain employee gets none of it
        arch = self._search_arch(self.employee)
        self.assertFalse(arch.xpath("//filter[starts-with(@name, 'filter_tier_')]"))

    def test_group_by_grade_counts_customers_per_grade(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Grouped {code}", "is_company": True} for code in "AAB"]
        )
        rows = self.env["logistics.customer.tier"]._account_rows(
            customers, self.env.company, create=True
        )
        for partner, code in zip(customers, "AAB", strict=True):
            rows[partner.id].write({"computed_tier": code})
        Partner = self.env["res.partner"].with_user(self.rep)
        domain = [("id", "in", customers.ids)]
        if ODOO_19:
            # 19.0's web client groups with formatted_read_group (read_group is
            # deprecated), its counts in __count
            groups = Partner.formatted_read_group(domain, ["tier"], ["__count"])
            counts = {group["tier"]: group["__count"] for group in groups}
        else:
            groups = Partner.read_group(domain, ["tier"], ["tier"])
            counts = {group["tier"]: group["tier_count"] for group in groups}
        self.assertEqual(counts, {"A": 2, "B": 1})
        self.assertTrue(
            self.env["res.partner"].fields_get(["tier"], ["groupable"])["tier"][
                "groupable"
            ]
        )
