import heapq
import random

from conftest import load_logic_module

assignment = load_logic_module("ticket_assignment")


def test_balanced_fills_the_least_loaded_first():
    assert assignment.balanced(4, {7: 2, 3: 0, 5: 1}) == [3, 3, 5, 3]
    assert assignment.balanced(3, {}) == []
    loads = {1: 0}
    assignment.balanced(2, loads)
    assert loads == {1: 0}, "not modified"


def test_round_robin_goes_on_after_the_last():
    assert assignment.round_robin(4, [9, 2, 5]) == [2, 5, 9, 2]
    assert assignment.round_robin(3, [2, 5, 9], last=5) == [9, 2, 5]
    # the last one is away now: the next by id
    assert assignment.round_robin(2, [2, 9], last=5) == [9, 2]
    assert assignment.round_robin(2, [2, 9], last=9) == [2, 9]
    assert assignment.round_robin(1, [], last=3) == []


def _balanced_by_heap(count, loads):
    """The reference: one heap operation per ticket."""
    heap = [(load, user_id) for user_id, load in loads.items()]
    heapq.heapify(heap)
    chosen = []
    for _i in range(count if heap else 0):
        load, user_id = heap[0]
        chosen.append(user_id)
        heapq.heapreplace(heap, (load + 1, user_id))
    return chosen


def test_balanced_makes_the_heap_choice():
    rng = random.Random(23)
    cases = [
        (0, {1: 0}),
        (5, {4: 3}),
        (7, {9: 0, 2: 0, 5: 0}),
        (10, {1: 5, 2: 0}),
        (3, {1: 5, 2: 0}),
        (6, {8: 1, 3: 1, 6: 0, 1: 4}),
    ]
    for _i in range(300):
        members = rng.sample(range(1, 200), rng.randint(1, 12))
        spread = rng.choice([0, 1, 3, 50])
        loads = {user_id: rng.randint(0, spread) for user_id in members}
        cases.append((rng.randint(0, 120), loads))
    for count, loads in cases:
        assert assignment.balanced(count, loads) == _balanced_by_heap(count, loads), (
            count,
            loads,
        )
