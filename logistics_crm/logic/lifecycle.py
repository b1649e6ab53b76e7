"""Customer lifecycle from the dates of its first and last business."""

import calendar
from datetime import date, timedelta

POTENTIAL = "potential"
NEW = "new"
ACTIVE = "active"
AT_RISK = "at_risk"
LAPSED = "lapsed"


def add_months(day, months):
    """`day` moved by `months` (may be negative), clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


# a customer with an order rhythm is at risk once it is this many of its own
# intervals without an order (one missed order and half an interval of grace)
RHYTHM_GRACE = 1.5


def lifecycle_stage(
    first_date,
    last_date,
    today,
    new_months,
    at_risk_months,
    lapsed_months,
    interval_days=None,
):
    """Classify a customer.

    - potential: never bought;
    - lapsed: nothing for `lapsed_months` or more;
    - at risk: nothing for `at_risk_months` or more, and, for a customer with an
      order rhythm (`interval_days`), nothing for 1.5 of its intervals: one who
      orders every four months is not at risk after three;
    - new: first business less than `new_months` ago;
    - active: otherwise.
    """
    if not last_date:
        return POTENTIAL
    if last_date <= add_months(today, -lapsed_months):
        return LAPSED
    within_rhythm = (
        interval_days and (today - last_date).days < interval_days * RHYTHM_GRACE
    )
    if last_date <= add_months(today, -at_risk_months) and not within_rhythm:
        return AT_RISK
    if first_date and first_date > add_months(today, -new_months):
        return NEW
    return ACTIVE


def lapse_date(last_date, lapsed_months):
    """The first day on which a customer whose last business was on `last_date`
    is lapsed (see `lifecycle_stage`): the day it churned without a word."""
    day = add_months(last_date, lapsed_months)
    # month ends: 31 January + 1 month is 28 February, still before the lapse
    while last_date > add_months(day, -lapsed_months):
        day += timedelta(days=1)
    return day


def validate_lifecycle_months(new_months, at_risk_months, lapsed_months):
    """Return an error message, or None when the month thresholds are coherent."""
    if min(new_months or 0, at_risk_months or 0, lapsed_months or 0) <= 0:
        return "Lifecycle thresholds must be positive numbers of months."
    if at_risk_months >= lapsed_months:
        return (
            "A customer must be at risk before it lapses: the at-risk threshold "
            f"({at_risk_months} months) must be below the lapsed one "
            f"({lapsed_months} months)."
        )
    return None
