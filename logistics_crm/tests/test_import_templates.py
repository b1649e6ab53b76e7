"""The import screen offers the logistics templates (Odoo's import templates),
columns in Chinese and English; each imports as it is, its example row
matched to the right fields and created."""

import pathlib

from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_crm.compat import ODOO_19

from .common import LogisticsCrmCase

XLS = pathlib.Path(__file__).resolve().parents[1] / "static" / "xls"
# Odoo's own customer template: 19.0 renamed base's file
ODOO_PARTNER_TEMPLATE = "/base/static/xls/" + (
    "contacts_import_template.xlsx" if ODOO_19 else "res_partner.xlsx"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTIONS = {
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
    "encoding": "",
    "separator": "",
    "quoting": '"',
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": False,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "sheets": [],
    "sheet": "",
    "skip": 0,
    "tracking_disable": True,
}
CUSTOMER_FIELDS = [
    "name",
    "is_company",
    "vat",
    "credit_code",
    "phone",
    "email",
    "city",
    "customer_size",
    "order_interval_days",
    "payment_day",
    "annual_shipment_estimate",
    "annual_tonnage_estimate",
    "commodities",
]
VOLUME_FIELDS = [
    "partner_id",
    "date",
    "shipment_count",
    "weight_tonnes",
    "teu",
    "revenue",
    "note",
]


@tagged("post_install", "-at_install")
class TestImportTemplates(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "in", ("base", "logistics_crm"))]
        )._update_translations(["zh_CN"])
        cls.importer = new_test_user(
            cls.env,
            login="lcrm_import_manager",
            lang="zh_CN",
            tz="Asia/Shanghai",
            # volume statements are the managers' to create
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
        )

    def _env(self, lang):
        return self.env(
            user=self.importer,
            context=dict(self.env.context, lang=lang, tz="Asia/Shanghai"),
        )

    def _import(self, model, file_name, lang, expected_fields):
        env = self._env(lang)
        wizard = env["base_import.import"].create(
            {
                "res_model": model,
                "file": (XLS / file_name).read_bytes(),
                "file_name": file_name,
                "file_type": XLSX,
            }
        )
        preview = wizard.parse_preview(dict(OPTIONS))
        self.assertNotIn("error", preview, preview.get("error"))
        matched = [
            "/".join(preview["matches"].get(index, [])) or None
            for index in range(len(preview["headers"]))
        ]
        self.assertEqual(matched, expected_fields, f"{file_name}: every column")
        result = wizard.execute_import(matched, preview["headers"], dict(OPTIONS))
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertFalse(errors, f"{file_name}: {errors}")
        self.assertEqual(len(result["ids"]), 1, "the example row")
        return env[model].browse(result["ids"])

    def test_the_import_screen_offers_the_templates(self):
        for model, kind in (
            ("res.partner", "customers"),
            ("logistics.volume", "volumes"),
        ):
            with self.subTest(model=model):
                templates = self._env("zh_CN")[model].get_import_templates()
                urls = [template["template"] for template in templates]
                for lang in ("zh_CN", "en"):
                    url = f"/logistics_crm/static/xls/logistics_{kind}_{lang}.xlsx"
                    self.assertIn(url, urls)
                    self.assertTrue((XLS / url.rsplit("/", 1)[1]).is_file())
                labels = " ".join(template["label"] for template in templates)
                self.assertIn("中文", labels, "the labels are translated")
        # Odoo's own customer template stays; plain employees get only that one
        employee = self.env["res.partner"].with_user(self.employee)
        self.assertEqual(
            [t["template"] for t in employee.get_import_templates()],
            [ODOO_PARTNER_TEMPLATE],
        )

    def test_templates_import_as_they_are(self):
        for lang, suffix, customer_name, size, code in (
            ("zh_CN", "zh_CN", "示例货运有限公司", "medium", "91310115MA1K4EXM2P"),
            (
                "en_US",
                "en",
                "Example Freight Co., Ltd.",
                "medium",
                "91310115MA1K4EXM1L",
            ),
        ):
            with self.subTest(lang=lang):
                customer = self._import(
                    "res.partner",
                    f"logistics_customers_{suffix}.xlsx",
                    lang,
                    CUSTOMER_FIELDS,
                )
                self.assertEqual(customer.name, customer_name)
                self.assertTrue(customer.is_company)
                self.assertEqual(customer.customer_size, size)
                self.assertEqual(customer.credit_code, code)
                self.assertEqual(customer.order_interval_days, 7)
                self.assertEqual(customer.payment_day, 25)
                self.assertEqual(customer.annual_shipment_estimate, 1200)
                volume = self._import(
                    "logistics.volume",
                    f"logistics_volumes_{suffix}.xlsx",
                    lang,
                    VOLUME_FIELDS,
                )
                self.assertEqual(volume.partner_id, customer)
                self.assertEqual(str(volume.date), "2026-11-01")
                self.assertEqual(volume.shipment_count, 96)
                self.assertAlmostEqual(volume.weight_tonnes, 288.5)
                self.assertEqual(volume.revenue, 86500)
