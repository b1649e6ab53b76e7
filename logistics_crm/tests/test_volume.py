from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LogisticsTierCase, set_shares


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestVolumeStatements(LogisticsTierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.metric = "volume_shipments"
        set_shares(cls.policy, 25, 25)
        cls.customers = cls._customers(4, prefix="Carrier", customer_rank=1)

    def test_month_is_normalised(self):
        line = self._volume(self.customers[0], "2026-03-17", shipments=3)
        self.assertEqual(str(line.date), "2026-03-01")
        line.date = "2026-04-30"
        self.assertEqual(str(line.date), "2026-04-01")

    def test_negative_values_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._volume(self.customers[0], "2026-03-01", shipments=-2)

    def test_import_rejects_bad_rows_and_imports_nothing(self):
        Volume = self.env["logistics.volume"]
        fields = ["partner_id", "date", "shipment_count", "revenue"]
        rows = [
            [self.customers[0].name, "2026-05-01", "12", "1000"],
            [self.customers[1].name, "2026-05-01", "-4", "500"],
            [self.customers[2].name, "not a date", "3", "200"],
        ]
        with mute_logger("odoo.sql_db"):
            result = Volume.load(fields, rows)
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertGreaterEqual(len(errors), 2)
        self.assertTrue(any("cannot be negative" in m["message"] for m in errors))
        self.assertEqual({m["rows"]["from"] for m in errors} >= {1, 2}, True)
        self.assertFalse(
            Volume.search([("partner_id", "in", self.customers.ids)]),
            "nothing half-imported",
        )

    def test_import_of_good_rows(self):
        result = self.env["logistics.volume"].load(
            ["partner_id", "date", "shipment_count", "weight_tonnes", "teu", "revenue"],
            [
                [self.customers[0].name, "2026-05-01", "12", "30.5", "2", "1000"],
                [self.customers[1].name, "2026-06-15", "7", "10", "0", "400"],
            ],
        )
        self.assertEqual(len(result["ids"]), 2, result["messages"])

    def test_ranking_by_shipments(self):
        for i, customer in enumerate(self.customers):
            self._volume(customer, "2026-02-01", shipments=10 * (i + 1))
        self._volume(self.customers[0], "2025-01-01", shipments=1000)  # too old
        self.policy._recompute_tiers()
        tiers = [self._tier_row(c).tier for c in self.customers]
        self.assertEqual(tiers, ["C", "C", "B", "A"])
        self.assertEqual(self._tier_row(self.customers[3]).value, 40)

    def test_at_risk_and_rising_star_alerts_once(self):
        set_shares(self.policy, 25, 25)
        big, medium, small, tiny = self.customers
        # big: A, dropping; small: C, growing fast
        for month, shipments in (("2026-06-01", 100), ("2026-09-01", 20)):
            self._volume(big, month, shipments=shipments)
        self._volume(medium, "2026-06-01", shipments=50)
        self._volume(medium, "2026-09-01", shipments=50)
        self._volume(small, "2026-06-01", shipments=2)
        self._volume(small, "2026-10-01", shipments=10)
        self._volume(tiny, "2026-10-01", shipments=1)
        self.policy._recompute_tiers()
        self.assertEqual(self._tier_row(big).tier, "A")
        self.assertEqual(self._tier_row(big).trend, "at_risk")
        self.assertEqual(self._tier_row(small).tier, "C")
        self.assertEqual(self._tier_row(small).trend, "rising_star")
        self.assertFalse(self._tier_row(medium).trend)
        self.assertFalse(self._tier_row(tiny).trend, "no base to grow from")
        alert_types = self.env.ref(
            "logistics_crm.mail_activity_type_at_risk"
        ) | self.env.ref("logistics_crm.mail_activity_type_rising_star")
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "in", self.customers.ids),
            ("activity_type_id", "in", alert_types.ids),
        ]
        activities = self.env["mail.activity"].search(domain)
        self.assertEqual(sorted(activities.mapped("res_id")), sorted((big | small).ids))
        self.policy._recompute_tiers()
        self.assertEqual(
            self.env["mail.activity"].search_count(domain), 2, "alerts are sent once"
        )
        flagged = (
            self.env["res.partner"]
            .with_company(self.company)
            .search([("tier_trend", "=", "rising_star")])
        )
        self.assertEqual(flagged, small)

    def test_weighted_mix_of_revenue_and_relationship_years(self):
        veteran, newcomer, idle = self._customers(3, prefix="Mix", customer_rank=1)
        self._invoice(veteran, 100.0, "2016-01-10")  # ten years of relationship
        self._invoice(veteran, 100.0, "2026-09-01")
        self._invoice(newcomer, 1000.0, "2026-09-01")
        self.policy.write(
            {
                "metric": "weighted",
                "weight_invoice_revenue": 1,
                "weight_relationship_years": 3,
            }
        )
        set_shares(self.policy, 20, 20)
        values = self.policy._compute_values(
            (veteran | newcomer | idle | self.customers).ids, date(2026, 11, 15)
        )
        # normalised: veteran 0.1 revenue + 1.0 years, newcomer 1.0 + ~0.02
        self.assertGreater(values[veteran.id], values[newcomer.id])
        self.assertEqual(values[idle.id], 0.0)
        self.policy._recompute_tiers()
        self.assertEqual(self._tier_row(veteran).tier, "A")
