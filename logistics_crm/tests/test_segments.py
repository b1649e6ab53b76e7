import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LogisticsTierCase, load_chinese

TODAY = "2026-11-15"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSegments(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Account = cls.env["logistics.customer.tier"]
        cls.coal = cls.env.ref("logistics_crm.commodity_category_coal")
        cls.grain = cls.env.ref("logistics_crm.commodity_category_grain")
        cls.big, cls.mid, cls.small, cls.unknown = cls._customers(4, prefix="Seg")
        cls.customers = cls.big | cls.mid | cls.small | cls.unknown
        cls.today = fields.Date.to_date(TODAY)

    @classmethod
    def _statement(cls, partner, month, tonnes):
        return cls.env["logistics.volume"].create(
            {
                "partner_id": partner.id,
                "date": month,
                "weight_tonnes": tonnes,
                "revenue": 100.0,
                "company_id": cls.company.id,
            }
        )

    def _accounts(self, partners):
        rows = self.Account._account_rows(partners, self.company, create=True)
        return self.Account.browse([rows[p.id].id for p in partners])

    def test_band_from_statements_of_the_last_twelve_months(self):
        self._statement(self.big, "2026-11-01", 60000.0)
        self._statement(self.big, "2025-12-01", 40000.0)
        # the thirteenth month back is outside the year
        self._statement(self.mid, "2025-11-01", 500000.0)
        self._statement(self.mid, "2026-01-01", 20000.0)
        self._statement(self.small, "2026-10-01", 9999.0)
        # the estimate is a fallback only: statements with a weight win
        self.big.annual_tonnage_estimate = 10.0
        self.policy._recompute_tiers()
        big, mid, small = self._accounts(self.big | self.mid | self.small)
        self.assertEqual(big.annual_tonnes, 100000.0)
        self.assertEqual(big.volume_band, "large")
        self.assertEqual(mid.annual_tonnes, 20000.0)
        self.assertEqual(mid.volume_band, "medium")
        self.assertEqual(small.volume_band, "small")

    def test_band_from_the_estimate_without_weighed_statements(self):
        self.mid.annual_tonnage_estimate = 50000.0
        self._statement(self.mid, "2026-10-01", 0.0)  # revenue only, no weight
        self.small.annual_tonnage_estimate = 500.0
        accounts = self._accounts(self.customers)
        self.Account._update_segments(self.policy)
        self.assertEqual(
            accounts.mapped("volume_band"), [False, "medium", "small", False]
        )
        self.assertEqual(accounts[1].annual_tonnes, 50000.0)
        # new limits reclassify at once
        self.policy.volume_band_large_tonnes = 40000.0
        self.assertEqual(accounts[1].volume_band, "large")

    def test_frequency_from_interval_or_estimated_interval(self):
        heavy, medium, light, unknown = accounts = self._accounts(self.customers)
        self.big.order_interval_days = 7
        self.mid.order_interval_days = 30
        # no recorded interval: the estimated one of the account counts
        light.estimated_order_interval_days = 45
        self.Account._update_segments(self.policy)
        self.assertEqual(
            accounts.mapped("order_frequency"), ["heavy", "medium", "light", False]
        )
        # a recorded interval wins over the estimate
        self.small.order_interval_days = 3
        self.policy._recompute_tiers()
        self.assertEqual(light.order_frequency, "heavy")

    def test_segment_update_is_one_query_per_company(self):
        self._accounts(self.customers)
        self.Account._update_segments(self.policy, today=self.today)
        (self.big | self.mid).order_interval_days = 7
        self.env.flush_all()
        # one select, one update of the changed rows; no change: no update
        with self.assertQueryCount(2):
            written = self.Account._update_segments(self.policy, today=self.today)
        self.assertEqual(written, 2)
        with self.assertQueryCount(1):
            written = self.Account._update_segments(self.policy, today=self.today)
        self.assertEqual(written, 0)

    def test_limits_are_validated(self):
        with self.assertRaisesRegex(ValidationError, "large > medium > 0"):
            self.policy.write(
                {
                    "volume_band_large_tonnes": 5000.0,
                    "volume_band_medium_tonnes": 10000.0,
                }
            )
        with self.assertRaises(ValidationError):
            self.policy.volume_band_medium_tonnes = 0.0
        with self.assertRaisesRegex(ValidationError, "0 < high < medium"):
            self.policy.frequency_heavy_days = 30

    def test_limit_error_is_translated(self):
        load_chinese(self.env)
        policy = self.policy.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "运量分档"):
            policy.volume_band_medium_tonnes = -1.0

    def test_region_follows_the_partner(self):
        china = self.env.ref("base.cn")
        shanxi = self.env["res.country.state"].search(
            [("country_id", "=", china.id)], limit=1
        )
        self.big.write({"country_id": china.id, "state_id": shanxi.id})
        self.mid.country_id = china
        big, mid, small = self._accounts(self.big | self.mid | self.small)
        self.assertEqual(big.region_state_id, shanxi)
        self.assertEqual(big.region_country_id, china)
        self.assertEqual(big.region, shanxi.display_name)
        self.assertEqual(mid.region, china.display_name)
        self.assertFalse(small.region)
        counts = dict(
            self.Account._read_group(
                [("id", "in", (big | mid | small).ids)],
                ["region_country_id"],
                ["__count"],
            )
        )
        self.assertEqual(counts[china], 2)
        # accounts the recompute inserts with SQL get their region too
        newcomer = self._customers(1, prefix="Newcomer", country_id=china.id)
        self._statement(newcomer, "2026-10-01", 10.0)
        self.policy._recompute_tiers()
        self.assertEqual(self._tier_row(newcomer).region_country_id, china)

    def test_search_by_lane(self):
        Lane = self.env["logistics.partner.lane"]
        Lane.create(
            [
                {
                    "partner_id": self.big.id,
                    "origin": "Datong",
                    "destination": "Qinhuangdao",
                },
                {
                    "partner_id": self.mid.id,
                    "origin": "Qinhuangdao",
                    "destination": "Shanghai",
                },
                {
                    "partner_id": self.small.id,
                    "origin": "Harbin",
                    "destination": "Dalian",
                },
            ]
        )
        contact = self.env["res.partner"].create(
            {"name": "Unknown's dispatcher", "parent_id": self.unknown.id}
        )
        Lane.create(
            {"partner_id": contact.id, "origin": "Baotou", "destination": "Tianjin"}
        )
        accounts = self._accounts(self.customers)
        # the rep owns these customers: their accounts are the rep's to read
        self._accounts(self.customers).sudo().owner_id = self.rep
        Account = self.Account.with_user(self.rep)
        scope = [("id", "in", accounts.ids)]
        found = Account.search(scope + [("lane_search", "ilike", "qinhuang")])
        self.assertEqual(found.partner_id, self.big | self.mid)
        found = Account.search(scope + [("lane_search", "ilike", "tianjin")])
        self.assertEqual(found.partner_id, self.unknown, "a contact's lane counts")
        found = Account.search(scope + [("lane_search", "not ilike", "qinhuang")])
        self.assertEqual(found.partner_id, self.small | self.unknown)

    def test_commodity_categories_are_for_logistics_users(self):
        self.big.commodity_category_ids = self.coal | self.grain
        contact = self.env["res.partner"].create(
            {"name": "Coal buyer", "parent_id": self.big.id}
        )
        self.assertEqual(
            contact.commodity_category_ids, self.coal | self.grain, "commercial field"
        )
        as_rep = self.big.with_user(self.rep)
        self.assertEqual(
            as_rep.commodity_category_ids.mapped("name"), ["Coal", "Grain"]
        )
        account = self._accounts(self.big).with_user(self.rep)
        self.assertEqual(account.commodity_category_ids, self.coal | self.grain)
        employee = new_test_user(
            self.env,
            login="lcrm_seg_employee",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        portal = new_test_user(
            self.env,
            login="lcrm_seg_portal",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        portal.partner_id.parent_id = self.big
        for outsider in (employee, portal):
            partner = portal.partner_id.with_user(outsider)
            with self.assertRaises(AccessError):
                partner.read(["commodity_category_ids"])
            with self.assertRaises(AccessError):
                self.coal.with_user(outsider).read(["name"])
        # managers maintain the list, reps only read it
        with self.assertRaises(AccessError):
            self.coal.with_user(self.rep).name = "Hard Coal"
        self.coal.with_user(self.manager).name = "Hard Coal"

    def test_search_and_group_by_commodity_category(self):
        self.big.commodity_category_ids = self.coal
        self.mid.commodity_category_ids = self.coal | self.grain
        accounts = self._accounts(self.customers)
        scope = [("id", "in", accounts.ids)]
        # the rep owns these customers: their accounts are the rep's to read
        self._accounts(self.customers).sudo().owner_id = self.rep
        Account = self.Account.with_user(self.rep)
        found = Account.search(scope + [("commodity_category_ids", "=", self.grain.id)])
        self.assertEqual(found.partner_id, self.mid)
        groups = Account._read_group(scope, ["commodity_category_ids"], ["__count"])
        counts = {category: count for category, count in groups}
        self.assertEqual(counts[self.coal], 2)
        self.assertEqual(counts[self.grain], 1)

    def test_xlsx_export_has_segment_columns(self):
        china = self.env.ref("base.cn")
        self.big.write(
            {
                "country_id": china.id,
                "commodity_category_ids": [Command.set(self.coal.ids)],
            }
        )
        self.big.order_interval_days = 5
        self._statement(self.big, "2026-10-01", 150000.0)
        self._statement(self.mid, "2026-10-01", 10.0)
        self.policy._recompute_tiers()
        self._accounts(self.customers).sudo().owner_id = self.rep
        wizard = (
            self.env["logistics.abc.export.wizard"]
            .with_user(self.rep)
            .create({"company_id": self.company.id})
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        rows = list(book.active.iter_rows(values_only=True))
        header = rows[3]
        self.assertEqual(header[0], "Customer")
        self.assertEqual(
            header[9:14],
            (
                "Region",
                "Commodity Categories",
                "Annual Tonnes",
                "Volume Band",
                "Order Frequency",
            ),
        )
        by_customer = {row[0]: row for row in rows[4:] if row and row[0]}
        big = by_customer[self.big.name]
        self.assertEqual(big[9], china.display_name)
        self.assertEqual(big[10], "Coal")
        self.assertAlmostEqual(big[11], 150000.0)
        self.assertEqual(big[12], "Large Volume")
        self.assertEqual(big[13], "High Frequency")
        self.assertEqual(by_customer[self.mid.name][12], "Small Volume")
