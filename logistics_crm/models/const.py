"""Selections shared by several models: one definition, one translation each."""

TIER_SELECTION = [
    ("A", "A – Key Customer"),
    ("B", "B – Partner Customer"),
    ("C", "C – General Customer"),
]
PRIORITY_SELECTION = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
