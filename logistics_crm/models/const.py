"""Selections and field maps shared by several models, defined once."""


def grade_selection(model):
    """Selection of every tier field: the grades configured in the tier policies
    (logistics.customer.grade), the current company's first. Values are grade
    codes, so SQL joins and domains stay plain comparisons."""
    return model.env["logistics.customer.grade"]._code_selection()


PRIORITY_SELECTION = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
METRIC_SELECTION = [
    ("invoice_revenue", "Invoiced Revenue"),
    ("volume_revenue", "Statement Revenue"),
    ("volume_shipments", "Shipments"),
    ("volume_tonnes", "Weight (tonnes)"),
    ("relationship_years", "Years of Relationship"),
    ("weighted", "Weighted Mix"),
]
WEIGHT_FIELDS = {
    "invoice_revenue": "weight_invoice_revenue",
    "volume_revenue": "weight_volume_revenue",
    "volume_shipments": "weight_volume_shipments",
    "volume_tonnes": "weight_volume_tonnes",
    "relationship_years": "weight_relationship_years",
}
VOLUME_COLUMNS = {
    "volume_revenue": "revenue",
    "volume_shipments": "shipment_count",
    "volume_tonnes": "weight_tonnes",
}
LIFECYCLE_SELECTION = [
    ("potential", "Potential"),
    ("new", "New Customer"),
    ("active", "Active Customer"),
    ("at_risk", "At Risk"),
    ("lapsed", "Lapsed"),
]

# the account team of a customer in one company (logistics.customer.tier)
ACCOUNT_ROLE_FIELDS = (
    "key_account_manager_id",
    "backup_manager_id",
    "executive_sponsor_id",
)

# 3-month value trend of an account; its own words, not the lifecycle's "At Risk"
TREND_SELECTION = [
    ("at_risk", "Volume Dropping"),
    ("rising_star", "Rising Star"),
]

# a manager's judgement of a customer's credit, per company account
CREDIT_RATING_SELECTION = [
    ("good", "Good Credit"),
    ("watch", "Credit Watch"),
    ("risk", "Credit Risk"),
]

# a lost customer's win-back; words apart from the lifecycle's "Lapsed"
WIN_BACK_SELECTION = [
    ("none", "No Win-Back"),
    ("trying", "Winning Back"),
    ("won_back", "Won Back"),
    ("given_up", "Win-Back Given Up"),
]

# health of a customer account (logic/health.py); words apart from the lifecycle's
HEALTH_STATUS_SELECTION = [
    ("healthy", "Healthy"),
    ("watch", "Needs Attention"),
    ("at_risk", "Health at Risk"),
    # computed, but nothing is known of the customer yet: no score at all
    ("no_data", "No Data Yet"),
]

# what a question of a relationship survey measures (survey.question): the five
# service-quality dimensions, the 0-10 would-recommend question and the comment
SURVEY_DIMENSIONS = (
    "reliability",
    "responsiveness",
    "assurance",
    "empathy",
    "tangibles",
)
SURVEY_MEASURE_SELECTION = [
    ("reliability", "Reliability"),
    ("responsiveness", "Responsiveness"),
    ("assurance", "Assurance"),
    ("empathy", "Empathy"),
    ("tangibles", "Tangibles"),
    ("recommend", "Would Recommend (0-10)"),
    ("comment", "Improvement Suggestion"),
]
NPS_CATEGORY_SELECTION = [
    ("promoter", "Promoter"),
    ("passive", "Passive"),
    ("detractor", "Detractor"),
]

POOL_REASON_SELECTION = [
    ("never_owned", "Never Owned"),
    ("unattended", "Not Followed Up"),
    ("not_won", "Not Won in Time"),
    ("released", "Released"),
]
POOL_EVENT_SELECTION = [
    ("claim", "Claimed from Pool"),
    ("assign", "Assigned"),
    ("return", "Returned to Pool"),
]
