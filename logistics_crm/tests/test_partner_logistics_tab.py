"""The partner's Logistics tab: what a rep needs every day on top, the rest one
click away in the tab's own notebook; no field lost in the regrouping."""

from lxml import etree

from odoo.tests import tagged

from .common import LogisticsCrmCase

# on top, outside the notebook: grade, team and next visit, rhythm and payment
# day, health and its reasons
DAILY = [
    "tier",
    "tier_value",
    "key_account_manager_id",
    "backup_manager_id",
    "next_visit_date",
    "order_interval_days",
    "last_order_date",
    "expected_next_order_date",
    "payment_day",
    "health_status",
    "health_score",
    "health_trend_score",
    "health_service_score",
    "health_satisfaction_score",
    "health_visits_score",
    "health_payment_score",
    "health_survey_score",
    "complaint_count",
]
# one click away: a page of the tab's notebook each
DETAILS = {
    "logistics_page_profile": [
        "customer_size",
        "customer_nature",
        "lifecycle_stage",
        "service_type_ids",
        "demand_type",
        "annual_shipment_estimate",
        "annual_tonnage_estimate",
        "preferred_contact_channel",
        "preferred_contact_time",
        "profile_verified_date",
        "profile_verified_by_id",
        "communication_style",
        "birthday",
        "preference_notes",
        "commodity_category_ids",
        "commodities",
    ],
    "logistics_page_lanes": ["lane_ids"],
    "logistics_page_payment": [
        "payment_avg_days",
        "payment_avg_days_late",
        "overdue_amount",
        "credit_rating",
    ],
    "logistics_page_history": [
        "is_lost",
        "churn_date",
        "churn_reason_id",
        "win_back_status",
        "account_assignment_ids",
    ],
    "logistics_page_survey": ["survey_date", "survey_score"],
    "logistics_page_commitments": ["sla_commitment_ids"],
}


@tagged("post_install", "-at_install")
class TestPartnerLogisticsTab(LogisticsCrmCase):
    def _tab(self, user):
        arch = (
            self.env["res.partner"]
            .with_user(user)
            .get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        )
        (tab,) = etree.fromstring(arch).xpath("//page[@name='logistics']")
        return tab

    @staticmethod
    def _names(node, path):
        return {field.get("name") for field in node.xpath(path)}

    def test_daily_fields_on_top_the_rest_one_click_away(self):
        tab = self._tab(self.manager)
        on_top = self._names(
            tab, "./*[not(self::notebook)]//field[not(ancestor::list)]"
        )
        self.assertFalse(set(DAILY) - on_top, "daily fields on top")
        (notebook,) = tab.xpath("./notebook[@name='logistics_details']")
        for page_name, names in DETAILS.items():
            with self.subTest(page=page_name):
                (page,) = notebook.xpath(f"./page[@name='{page_name}']")
                self.assertFalse(
                    set(names) - self._names(page, ".//field"), "on its page"
                )
                self.assertFalse(set(names) & on_top, "not on top as well")

    def test_the_top_is_compact(self):
        """One group of four sections on top, the pages below."""
        tab = self._tab(self.manager)
        (top,) = tab.xpath("./group[@name='logistics_tier']")
        sections = [group.get("name") for group in top.xpath("./group")]
        self.assertEqual(
            sections,
            [
                "logistics_tier_current",
                "logistics_account_team",
                "logistics_order_rhythm",
                "logistics_health",
            ],
        )
        self.assertEqual(
            [
                child.tag
                for child in tab
                if isinstance(child.tag, str) and child.tag != "div"
            ],
            ["group", "notebook"],
            "no other section between the top group and the notebook",
        )
