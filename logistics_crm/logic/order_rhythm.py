"""Order-rhythm arithmetic: when will a customer order next?"""

import calendar
from datetime import date, timedelta

SINGLE_DEMAND = "single"
COMPREHENSIVE_DEMAND = "comprehensive"


def expected_next_order_date(last_order_date, interval_days):
    """Return the date the next order is expected, or None when it cannot be known.

    A customer with no recorded order, or with no (zero) typical interval, has no
    expectation: returning None keeps reps from being nagged by guesses.
    """
    if not last_order_date or not interval_days or interval_days < 0:
        return None
    if not isinstance(last_order_date, date):
        raise TypeError("last_order_date must be a date")
    return last_order_date + timedelta(days=int(interval_days))


def expected_next_order(last_order_date, interval_days, manual_date=None):
    """The expected next order date, a hand-set one first.

    A date a rep set wins while it is ahead of the last order: an order
    invoiced on or after it is the customer's answer, and the rhythm takes over.
    """
    if manual_date and (not last_order_date or manual_date > last_order_date):
        return manual_date
    return expected_next_order_date(last_order_date, interval_days)


def demand_type(service_count):
    """Classify a customer by how many distinct logistics services it buys.

    No service recorded yet gives None (unknown), one service is a single-demand
    customer, two or more a comprehensive-demand customer.
    """
    if not service_count:
        return None
    return SINGLE_DEMAND if service_count == 1 else COMPREHENSIVE_DEMAND


def is_valid_payment_day(day):
    """A payment day is a day of the month (1-31); empty means not agreed."""
    return not day or 1 <= day <= 31


def is_payday(payment_day, today):
    """Whether `today` is the customer's payment day this month: a day the month
    does not have (31 in April, 30 in February) falls on the month's last day."""
    if not payment_day:
        return False
    last_day = calendar.monthrange(today.year, today.month)[1]
    return today.day == min(payment_day, last_day)
