"""ABC classification of customers by value: pure, deterministic, Odoo-free.

Customers are ranked by value, descending, ties broken by id so that the order
is deterministic. Customers with the same value always share a tier: a tie group
takes the tier of its best-placed member ("the tie goes to the better tier").
"""

from typing import NamedTuple

BY_CUSTOMER_SHARE = "customer_share"
BY_VALUE_SHARE = "value_share"

# the tolerance that keeps 5 of 100 customers at exactly 5.0 % in A despite floats
EPSILON = 1e-9


class TierResult(NamedTuple):  # a tuple: cheap to build 100k times
    tier: str  # the code of the grade
    rank: int  # competition rank: equal values share the rank of the first of them
    percentile: float  # share of customers ranked at or above this one, in %


def validate_shares(shares):
    """Return an error message for invalid grade shares, or None when valid.

    :param shares: the share in % of every grade but the last, best grade first
        (the last grade takes the rest)
    """
    if len(shares) < 1:
        return "A tier policy needs at least two grades."
    if any(share is None or share <= 0 for share in shares):
        return "Every grade but the last needs a share above 0%."
    if sum(shares) > 100 + EPSILON:
        return "The shares of the grades add up to more than 100%."
    return None


def assign_tiers(values, grades, method=BY_CUSTOMER_SHARE):
    """Classify customers into grades (A/B/C, A-D, or any number of levels).

    :param values: mapping customer id -> value (numbers; None counts as 0)
    :param grades: sequence of (code, share in %), best grade first; the last
        grade takes the rest (its share is ignored)
    :param method: BY_CUSTOMER_SHARE (the top share% of the customers are in the
        first grade, the next share% in the second...) or BY_VALUE_SHARE (Pareto:
        the customers making the first share% of the value, then the next...)
    :return: dict customer id -> TierResult
    """
    codes = [code for code, _share in grades]
    if len(codes) < 2 or len(set(codes)) != len(codes):
        raise ValueError("At least two grades with distinct codes are required.")
    shares = [share for _code, share in grades[:-1]]
    error = validate_shares(shares)
    if error:
        raise ValueError(error)
    if method not in (BY_CUSTOMER_SHARE, BY_VALUE_SHARE):
        raise ValueError(f"Unknown ranking method {method!r}.")
    count = len(values)
    if not count:
        return {}
    limits = []  # cumulative upper bound of each grade but the last
    for share in shares:
        limits.append((limits[-1] if limits else 0.0) + share)
    last = codes[-1]
    ordered = sorted(values.items(), key=lambda item: (-(item[1] or 0.0), item[0]))
    total = sum(max(value or 0.0, 0.0) for _id, value in ordered)

    results = {}
    make_result = TierResult._make
    group_value = object()
    group_result = None
    cumulative_before = 0.0
    for position, (customer_id, raw_value) in enumerate(ordered, start=1):
        value = raw_value or 0.0
        if value != group_value:
            # a new tie group: its first member decides the grade of all of them
            group_value = value
            if value <= 0:
                tier = last
            elif method == BY_CUSTOMER_SHARE:
                tier = _grade_for_share(position * 100.0 / count, limits, codes)
            else:
                # Pareto: a customer belongs to a grade while the value ranked
                # above it has not yet reached the grade's limit; the one
                # crossing it still belongs to it.
                share_before = cumulative_before * 100.0 / total
                tier = _grade_for_open_share(share_before, limits, codes)
            group_result = make_result(
                (tier, position, round(position * 100.0 / count, 4))
            )
        if value > 0:
            cumulative_before += value
        results[customer_id] = group_result
    return results


def _grade_for_share(share, limits, codes):
    for limit, code in zip(limits, codes, strict=False):
        if share <= limit + EPSILON:
            return code
    return codes[-1]


def _grade_for_open_share(share_before, limits, codes):
    for limit, code in zip(limits, codes, strict=False):
        if share_before < limit - EPSILON:
            return code
    return codes[-1]


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


def tier_direction(previous, new, order):
    """'up', 'down' or None (no previous grade, unchanged, or a grade no longer
    configured).

    :param order: {grade code: position}, the best grade at 0
    """
    if not previous or not new or previous == new:
        return None
    if previous not in order or new not in order:
        return None
    return "up" if order[new] < order[previous] else "down"
