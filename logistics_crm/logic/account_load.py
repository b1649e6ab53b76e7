"""Who takes a key account: the least-loaded manager with room for it.

Load is counted in points (each account weighs what its tier's service line
says); a manager's capacity caps the points. Used by the automatic assignment
after a recompute and by the handover wizard, so both spread alike.
"""


def least_loaded(loads, capacities, weight):
    """The user id with the lowest load/capacity ratio that can still take
    `weight` points, or None when nobody has room.

    Ties go to the lower absolute load, then to the lower user id, so the
    result never depends on dict order. A capacity of 0 means "takes nothing".
    """
    best_key, best_user = None, None
    for user_id, capacity in capacities.items():
        load = loads.get(user_id, 0)
        if capacity <= 0 or load + weight > capacity:
            continue
        key = (load / capacity, load, user_id)
        if best_key is None or key < best_key:
            best_key, best_user = key, user_id
    return best_user


def spread(accounts, loads, capacities, weights, preferred=None):
    """Hand accounts out one by one, biggest first as given.

    :param accounts: [(account id, tier)] in the order to serve them
    :param preferred: {account id: user id} who should take the account when
        they have room (its owner in the customer pool), else the least loaded
    :param loads: {user id: points already carried}; not modified
    :param capacities: {user id: capacity in points}
    :param weights: {tier: points of one account of that tier}
    :return: ({account id: user id}, [account ids nobody had room for])
    """
    loads = dict(loads)
    assigned, left = {}, []
    for account_id, tier in accounts:
        weight = weights.get(tier, 1)
        user_id = (preferred or {}).get(account_id)
        capacity = capacities.get(user_id, 0)
        if not capacity or loads.get(user_id, 0) + weight > capacity:
            user_id = least_loaded(loads, capacities, weight)
        if user_id is None:
            left.append(account_id)
            continue
        loads[user_id] = loads.get(user_id, 0) + weight
        assigned[account_id] = user_id
    return assigned, left
