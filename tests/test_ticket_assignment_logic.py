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
