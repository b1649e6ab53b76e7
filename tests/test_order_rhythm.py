from datetime import date

import pytest

from conftest import load_logic_module

order_rhythm = load_logic_module("order_rhythm")


def test_expected_next_order_date_adds_interval():
    assert order_rhythm.expected_next_order_date(date(2026, 12, 25), 14) == date(
        2027, 1, 8
    )


def test_expected_next_order_date_across_leap_day():
    assert order_rhythm.expected_next_order_date(date(2028, 2, 28), 1) == date(
        2028, 2, 29
    )


@pytest.mark.parametrize(
    "last_order, interval",
    [(None, 7), (False, 7), (date(2026, 1, 1), 0), (date(2026, 1, 1), None)],
)
def test_no_expectation_without_last_order_or_interval(last_order, interval):
    assert order_rhythm.expected_next_order_date(last_order, interval) is None


def test_negative_interval_gives_no_expectation():
    assert order_rhythm.expected_next_order_date(date(2026, 1, 1), -5) is None


def test_last_order_must_be_a_date():
    with pytest.raises(TypeError):
        order_rhythm.expected_next_order_date("2026-01-01", 5)


@pytest.mark.parametrize(
    "count, expected",
    [(0, None), (1, "single"), (2, "comprehensive"), (10, "comprehensive")],
)
def test_demand_type(count, expected):
    assert order_rhythm.demand_type(count) == expected


@pytest.mark.parametrize(
    "day, valid", [(0, True), (None, True), (1, True), (31, True), (32, False)]
)
def test_payment_day(day, valid):
    assert order_rhythm.is_valid_payment_day(day) is valid


def test_negative_payment_day_is_invalid():
    assert not order_rhythm.is_valid_payment_day(-1)


@pytest.mark.parametrize(
    "payment_day, today, expected",
    [
        (15, date(2026, 11, 15), True),
        (15, date(2026, 11, 14), False),
        (31, date(2026, 11, 30), True),  # November has 30 days
        (31, date(2026, 12, 30), False),
        (30, date(2027, 2, 28), True),  # February 2027 has 28
        (29, date(2028, 2, 29), True),
        (None, date(2026, 11, 15), False),
    ],
)
def test_is_payday(payment_day, today, expected):
    assert order_rhythm.is_payday(payment_day, today) is expected


def test_a_hand_set_expected_date_wins_while_ahead_of_the_last_order():
    last = date(2026, 10, 25)
    # the invoices say 11-08, the rep says 12-10
    assert order_rhythm.expected_next_order(last, 14, date(2026, 12, 10)) == date(
        2026, 12, 10
    )
    # an order on or after it: the rhythm again
    later = date(2026, 12, 12)
    assert order_rhythm.expected_next_order(later, 14, date(2026, 12, 10)) == date(
        2026, 12, 26
    )
    assert order_rhythm.expected_next_order(last, 14, None) == date(2026, 11, 8)
    # no order yet: the hand-set date alone
    assert order_rhythm.expected_next_order(None, 0, date(2026, 12, 10)) == date(
        2026, 12, 10
    )
