"""ABC classification of customers by value: pure, deterministic, Odoo-free.

Customers are ranked by value, descending, ties broken by id so that the order
is deterministic. Customers with the same value always share a tier: a tie group
takes the tier of its best-placed member ("the tie goes to the better tier").
"""

from typing import NamedTuple

TIER_A = "A"
TIER_B = "B"
TIER_C = "C"
TIERS = (TIER_A, TIER_B, TIER_C)

BY_CUSTOMER_SHARE = "customer_share"
BY_VALUE_SHARE = "value_share"

# (A, B) thresholds that fit each method: 5 / 15 % of the customers, or the
# customers making 80 % of the value, then the next 15 % (the 80/20 reading)
DEFAULT_THRESHOLDS = {
    BY_CUSTOMER_SHARE: (5.0, 15.0),
    BY_VALUE_SHARE: (80.0, 15.0),
}


class TierResult(NamedTuple):  # a tuple: cheap to build 100k times
    tier: str
    rank: int  # competition rank: equal values share the rank of the first of them
    percentile: float  # share of customers ranked at or above this one, in %


def validate_thresholds(a_share, b_share):
    """Return an error message for invalid thresholds, or None when they are valid."""
    if a_share is None or b_share is None:
        return "Both the A and the B thresholds are required."
    if not 0 < a_share < a_share + b_share <= 100:
        return (
            "Tier thresholds must satisfy 0 < A < A + B <= 100 "
            f"(got A = {a_share:g}, B = {b_share:g})."
        )
    return None


def assign_tiers(values, a_share, b_share, method=BY_CUSTOMER_SHARE):
    """Classify customers into A/B/C tiers.

    :param values: mapping customer id -> value (numbers; None counts as 0)
    :param a_share: A threshold in % (of customers, or of value for Pareto)
    :param b_share: B threshold in %, on top of A
    :param method: BY_CUSTOMER_SHARE (top a% of customers are A, the next b% B)
        or BY_VALUE_SHARE (Pareto: customers making the first a% of value are A,
        the next b% B)
    :return: dict customer id -> TierResult
    """
    error = validate_thresholds(a_share, b_share)
    if error:
        raise ValueError(error)
    if method not in (BY_CUSTOMER_SHARE, BY_VALUE_SHARE):
        raise ValueError(f"Unknown ranking method {method!r}.")
    count = len(values)
    if not count:
        return {}
    ordered = sorted(values.items(), key=lambda item: (-(item[1] or 0.0), item[0]))
    total = sum(max(value or 0.0, 0.0) for _id, value in ordered)
    a_limit = a_share
    b_limit = a_share + b_share

    results = {}
    make_result = TierResult._make
    group_value = object()
    group_result = None
    cumulative_before = 0.0
    for position, (customer_id, raw_value) in enumerate(ordered, start=1):
        value = raw_value or 0.0
        if value != group_value:
            # a new tie group: its first member decides the tier of all of them
            group_value = value
            if value <= 0:
                tier = TIER_C
            elif method == BY_CUSTOMER_SHARE:
                tier = _tier_for_share(position * 100.0 / count, a_limit, b_limit)
            else:
                # Pareto: a customer belongs to A while the value ranked above it
                # has not yet reached a% of the total; the one crossing it is A.
                share_before = cumulative_before * 100.0 / total
                tier = _tier_for_open_share(share_before, a_limit, b_limit)
            group_result = make_result(
                (tier, position, round(position * 100.0 / count, 4))
            )
        if value > 0:
            cumulative_before += value
        results[customer_id] = group_result
    return results


def _tier_for_share(share, a_limit, b_limit):
    # a tiny tolerance keeps 5 of 100 customers at exactly 5.0 % in A despite floats
    if share <= a_limit + 1e-9:
        return TIER_A
    if share <= b_limit + 1e-9:
        return TIER_B
    return TIER_C


def _tier_for_open_share(share_before, a_limit, b_limit):
    if share_before < a_limit - 1e-9:
        return TIER_A
    if share_before < b_limit - 1e-9:
        return TIER_B
    return TIER_C


def normalise(values):
    """Scale values to [0, 1] by dividing by the largest; all zero stays zero."""
    highest = max((v or 0.0 for v in values.values()), default=0.0)
    if highest <= 0:
        return {key: 0.0 for key in values}
    return {key: max(v or 0.0, 0.0) / highest for key, v in values.items()}


def weighted_mix(inputs, weights):
    """Combine several value inputs into one score per customer.

    :param inputs: mapping input name -> {customer id: value}
    :param weights: mapping input name -> weight (>= 0, not all 0)
    :return: {customer id: score}, each input normalised to [0, 1] first so that
        revenue in millions does not drown years of relationship
    """
    if any((w or 0) < 0 for w in weights.values()):
        raise ValueError("Weights cannot be negative.")
    total_weight = sum(w or 0 for w in weights.values())
    if total_weight <= 0:
        raise ValueError("At least one weight must be greater than zero.")
    customers = set()
    for per_customer in inputs.values():
        customers.update(per_customer)
    scores = dict.fromkeys(customers, 0.0)
    for name, weight in weights.items():
        if not weight:
            continue
        normalised = normalise(inputs.get(name, {}))
        for customer_id, value in normalised.items():
            scores[customer_id] += weight * value
    return {key: score / total_weight for key, score in scores.items()}


def growth_percent(recent, previous):
    """Growth of `recent` over `previous` in %; None without a base to compare."""
    if not previous or previous <= 0:
        return None
    return (recent - previous) * 100.0 / previous


TIER_ORDER = {TIER_A: 0, TIER_B: 1, TIER_C: 2}


def tier_direction(previous, new):
    """'up', 'down' or None (no previous tier, or unchanged)."""
    if not previous or not new or previous == new:
        return None
    return "up" if TIER_ORDER[new] < TIER_ORDER[previous] else "down"
