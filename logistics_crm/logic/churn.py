"""Churn rates: customers lost in a period / customers active at its start.

Pure and Odoo-free.
"""

from datetime import date, timedelta

MONTH = "month"
QUARTER = "quarter"


def rate(lost, active):
    """Share 0..1 of the active customers lost; None when nobody was active."""
    if not active:
        return None
    return lost / active


def rates_by(rows, key):
    """{group: (active, lost, rate)} of rows grouped by `key`.

    :param rows: dicts with "active" and "lost" booleans and the key's value:
        one per customer active at the period's start or lost in it
    """
    groups = {}
    for row in rows:
        active, lost = groups.get(row[key], (0, 0))
        groups[row[key]] = (active + bool(row["active"]), lost + bool(row["lost"]))
    return {
        group: (active, lost, rate(lost, active))
        for group, (active, lost) in groups.items()
    }


def periods(date_from, date_to, length):
    """[(start, end)] months or quarters covering date_from..date_to, the first
    starting at the period that holds date_from, the last cut at date_to."""
    if date_to < date_from:
        return []
    step = 3 if length == QUARTER else 1
    start = date(date_from.year, (date_from.month - 1) // step * step + 1, 1)
    result = []
    while start <= date_to:
        month = start.month - 1 + step
        following = date(start.year + month // 12, month % 12 + 1, 1)
        result.append((start, min(following - timedelta(days=1), date_to)))
        start = following
    return result
