from datetime import date

from conftest import load_logic_module

churn = load_logic_module("churn")


def test_rate_is_lost_over_active():
    assert churn.rate(1, 4) == 0.25
    assert churn.rate(0, 4) == 0.0
    assert churn.rate(2, 0) is None


def test_rates_by_group():
    rows = [
        {"tier": "A", "active": True, "lost": True},
        {"tier": "A", "active": True, "lost": False},
        {"tier": "B", "active": True, "lost": False},
        # lost without being active at the start: counted lost, not active
        {"tier": "B", "active": False, "lost": True},
        {"tier": None, "active": False, "lost": True},
    ]
    assert churn.rates_by(rows, "tier") == {
        "A": (2, 1, 0.5),
        "B": (1, 1, 1.0),
        None: (0, 1, None),
    }


def test_periods_cover_the_range():
    assert churn.periods(date(2026, 2, 10), date(2026, 8, 15), churn.QUARTER) == [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 8, 15)),
    ]
    assert churn.periods(date(2026, 11, 5), date(2027, 1, 3), churn.MONTH) == [
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 3)),
    ]
    assert churn.periods(date(2026, 5, 1), date(2026, 4, 1), churn.MONTH) == []
