from datetime import date, timedelta

import pytest

from conftest import load_logic_module

lifecycle = load_logic_module("lifecycle")
TODAY = date(2026, 11, 23)


def stage(first, last):
    return lifecycle.lifecycle_stage(first, last, TODAY, 6, 3, 12)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 11, 23), 14, date(2028, 1, 23)),
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_add_months(day, months, expected):
    assert lifecycle.add_months(day, months) == expected


def test_potential_without_business():
    assert stage(None, None) == "potential"


def test_new_customer():
    assert stage(date(2026, 9, 1), date(2026, 11, 1)) == "new"


def test_active_customer():
    assert stage(date(2020, 1, 1), date(2026, 11, 1)) == "active"


def test_at_risk_boundary():
    assert stage(date(2020, 1, 1), date(2026, 8, 24)) == "active"
    assert stage(date(2020, 1, 1), date(2026, 8, 23)) == "at_risk"


def test_lapsed_boundary():
    assert stage(date(2020, 1, 1), date(2025, 11, 24)) == "at_risk"
    assert stage(date(2020, 1, 1), date(2025, 11, 23)) == "lapsed"


def test_new_but_silent_is_at_risk():
    assert stage(date(2026, 6, 1), date(2026, 6, 1)) == "at_risk"


@pytest.mark.parametrize(
    "months, valid",
    [
        ((6, 3, 12), True),
        ((6, 12, 12), False),
        ((0, 3, 12), False),
        ((6, 3, -1), False),
    ],
)
def test_validate_lifecycle_months(months, valid):
    assert (lifecycle.validate_lifecycle_months(*months) is None) is valid


def test_order_rhythm_delays_at_risk():
    # ordering every four months: four months of silence is its rhythm, not a risk
    last = date(2026, 7, 15)
    today = date(2026, 11, 15)  # 123 days later, past the 3-month threshold
    stage = lifecycle.lifecycle_stage
    assert stage(date(2020, 1, 1), last, today, 6, 3, 12) == lifecycle.AT_RISK
    assert (
        stage(date(2020, 1, 1), last, today, 6, 3, 12, interval_days=120)
        == lifecycle.ACTIVE
    )
    # 1.5 intervals (180 days) without an order: at risk after all
    assert (
        stage(date(2020, 1, 1), last, date(2027, 1, 12), 6, 3, 12, interval_days=120)
        == lifecycle.AT_RISK
    )
    # a short rhythm never brings the at-risk threshold forward
    assert (
        stage(date(2020, 1, 1), date(2026, 10, 1), today, 6, 3, 12, interval_days=7)
        == lifecycle.ACTIVE
    )


@pytest.mark.parametrize(
    "last, months, expected",
    [
        (date(2025, 8, 20), 12, date(2026, 8, 20)),
        (date(2026, 1, 31), 1, date(2026, 3, 1)),
        (date(2024, 2, 29), 12, date(2025, 3, 1)),
        (date(2025, 12, 31), 2, date(2026, 3, 1)),
    ],
)
def test_lapse_date_is_the_first_lapsed_day(last, months, expected):
    day = lifecycle.lapse_date(last, months)
    assert day == expected
    lapsed = lifecycle.LAPSED
    assert lifecycle.lifecycle_stage(last, last, day, 1, 1, months) == lapsed
    before = day - timedelta(days=1)
    assert lifecycle.lifecycle_stage(last, last, before, 1, 1, months) != lapsed
