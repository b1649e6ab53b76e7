"""Who handles new tickets: balanced by open tickets, or in turn.

Pure and Odoo-free.
"""

import heapq


def balanced(count, loads):
    """Handlers for `count` new tickets, each to the member with the fewest open
    tickets at that moment (ties: the lower id).

    :param loads: {user id: open tickets}; not modified
    :return: [user id] of length `count` ([] when nobody is available)
    """
    if not loads:
        return []
    heap = [(load, user_id) for user_id, load in loads.items()]
    heapq.heapify(heap)
    chosen = []
    for _i in range(count):
        load, user_id = heapq.heappop(heap)
        chosen.append(user_id)
        heapq.heappush(heap, (load + 1, user_id))
    return chosen


def round_robin(count, members, last=None):
    """Handlers for `count` new tickets in turn, by id, starting after `last`
    (the member that got the previous ticket, available now or not).

    :return: [user id] of length `count` ([] when nobody is available)
    """
    order = sorted(members)
    if not order:
        return []
    start = 0
    if last is not None:
        start = next((i for i, user_id in enumerate(order) if user_id > last), 0)
    return [order[(start + i) % len(order)] for i in range(count)]
