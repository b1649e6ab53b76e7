from datetime import date, timedelta

import pytest

from conftest import load_logic_module

cadence = load_logic_module("cadence")
TODAY = date(2026, 11, 23)


def test_next_visit_after_last_done():
    assert cadence.next_visit_due(date(2026, 10, 1), 30, TODAY) == date(2026, 10, 31)


def test_next_visit_without_done_visit_is_today():
    assert cadence.next_visit_due(None, 90, TODAY) == TODAY


@pytest.mark.parametrize("interval", [0, None, -5])
def test_no_interval_no_visit(interval):
    assert cadence.next_visit_due(date(2026, 1, 1), interval, TODAY) is None


def test_overdue_due_date_is_kept_in_the_past():
    assert cadence.next_visit_due(date(2026, 1, 1), 30, TODAY) == date(2026, 1, 31)


def test_typical_order_interval_is_the_median():
    dates = [date(2026, 1, 1), date(2026, 1, 8), date(2026, 1, 15), date(2026, 2, 20)]
    assert cadence.typical_order_interval(dates) == 7


def test_typical_order_interval_uses_last_intervals_only():
    dates = [date(2025, 1, 1), date(2025, 6, 1)] + [
        date(2026, 1, 1 + 3 * i) for i in range(7)
    ]
    assert cadence.typical_order_interval(dates, last_intervals=6) == 3


def test_typical_order_interval_ignores_same_day_orders_and_needs_two():
    assert cadence.typical_order_interval([date(2026, 1, 1)] * 3) is None
    assert cadence.typical_order_interval([]) is None
    same_day = [date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 11)]
    assert cadence.typical_order_interval(same_day) == 10


@pytest.mark.parametrize(
    "expected, due",
    [
        (date(2026, 11, 26), True),
        (date(2026, 11, 27), False),
        (date(2026, 11, 1), True),
    ],
)
def test_is_due_soon(expected, due):
    assert cadence.is_due_soon(expected, TODAY, 3) is due


def test_is_due_soon_without_date():
    assert cadence.is_due_soon(None, TODAY, 3) is False


def test_next_birthday():
    assert cadence.next_birthday(date(1980, 11, 25), TODAY) == date(2026, 11, 25)
    assert cadence.next_birthday(date(1980, 11, 23), TODAY) == TODAY
    assert cadence.next_birthday(date(1980, 1, 5), TODAY) == date(2027, 1, 5)
    assert cadence.next_birthday(date(1984, 2, 29), TODAY) == date(2027, 2, 28)
    assert cadence.next_birthday(None, TODAY) is None


def test_birthday_month_days_match_next_birthday():
    """Every birth date the SQL month-day filter selects is one next_birthday puts
    in the window, and none is missed: checked over two years of windows."""
    births = [date(1984, 2, 29), date(1980, 1, 1), date(1990, 12, 31)]
    births += [date(1975, m, d) for m in range(1, 13) for d in (1, 15, 28)]
    start = date(2026, 1, 1)
    for offset in range(0, 800, 3):
        today = start + timedelta(days=offset)
        for notice in (0, 7, 30):
            horizon = today + timedelta(days=notice)
            month_days = set(cadence.birthday_month_days(today, horizon))
            for birth in births:
                selected = birth.month * 100 + birth.day in month_days
                due = cadence.next_birthday(birth, today) <= horizon
                assert selected == due, (birth, today, notice)


def test_birthday_month_days_wraps_the_year():
    assert cadence.birthday_month_days(date(2026, 12, 30), date(2027, 1, 2)) == [
        101,
        102,
        1230,
        1231,
    ]
