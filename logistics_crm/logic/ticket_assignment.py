"""Who handles new tickets: balanced by open tickets, or in turn.

Pure and Odoo-free.
"""

import bisect


def balanced(count, loads):
    """Handlers for `count` new tickets, each to the member with the fewest open
    tickets at that moment (ties: the lower id).

    The same choice as popping the least loaded member from a heap for each
    ticket, made level by level: once the least loaded members reach the next
    member's load, that member joins them, and from there on every round of
    tickets goes to all of them in id order (list operations, not one heap
    operation per ticket).

    :param loads: {user id: open tickets}; not modified
    :return: [user id] of length `count` ([] when nobody is available)
    """
    if not loads or count <= 0:
        return []
    by_load = sorted((load, user_id) for user_id, load in loads.items())
    level = by_load[0][0]
    level_members = []  # the members at `level`, by id
    chosen = []
    i = 0
    while True:
        while i < len(by_load) and by_load[i][0] == level:
            bisect.insort(level_members, by_load[i][1])
            i += 1
        rounds = by_load[i][0] - level if i < len(by_load) else None
        remaining = count - len(chosen)
        if rounds is None or rounds * len(level_members) >= remaining:
            full, part = divmod(remaining, len(level_members))
            chosen += level_members * full
            chosen += level_members[:part]
            return chosen
        chosen += level_members * rounds
        level += rounds


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
