"""Visit cadence and order-rhythm arithmetic (pure, Odoo-free)."""

from datetime import timedelta
from statistics import median


def next_visit_due(last_done, interval_days, today):
    """Due date of the next visit: `interval_days` after the last done visit.

    Without a done visit the customer is due now (today). No interval (0 or
    empty) means the tier gets no such visit: None.
    """
    if not interval_days or interval_days <= 0:
        return None
    if not last_done:
        return today
    return last_done + timedelta(days=int(interval_days))


def typical_order_interval(order_dates, last_intervals=6):
    """Median of the last intervals between distinct order dates, in days.

    Needs two distinct dates at least; the median resists a single late or
    early order better than the mean.
    """
    days = sorted(set(order_dates))
    if len(days) < 2:
        return None
    intervals = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    return round(median(intervals[-last_intervals:]))


def is_due_soon(expected_date, today, notice_days):
    """True when the expected date is within `notice_days` from today, or past."""
    if not expected_date:
        return False
    return expected_date <= today + timedelta(days=notice_days)


def next_birthday(birthday, today):
    """The next occurrence (today included) of a birthday; 29 Feb -> 28 Feb."""
    if not birthday:
        return None
    for year in (today.year, today.year + 1):
        try:
            candidate = birthday.replace(year=year)
        except ValueError:  # 29 February in a common year
            candidate = birthday.replace(year=year, day=28)
        if candidate >= today:
            return candidate
    return None


def birthday_month_days(today, horizon):
    """Month-days (month * 100 + day) whose next birthday falls in [today, horizon].

    Lets SQL select the contacts to greet with an indexed equality on the
    birthday's month-day, whatever the year of birth: 29 February is included
    when 28 February of a common year is in the window (see next_birthday).
    """
    days = set()
    day = today
    while day <= horizon and len(days) < 366:
        days.add(day.month * 100 + day.day)
        if day.month == 2 and day.day == 28 and not _is_leap(day.year):
            days.add(229)
        day += timedelta(days=1)
    return sorted(days)


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
