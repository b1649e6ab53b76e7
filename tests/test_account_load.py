from conftest import load_logic_module

account_load = load_logic_module("account_load")


def test_lowest_ratio_wins_not_lowest_points():
    # 4/10 = 0.4 beats 3/5 = 0.6 although 3 points are fewer
    assert account_load.least_loaded({1: 4, 2: 3}, {1: 10, 2: 5}, 1) == 1


def test_manager_without_room_is_skipped():
    assert account_load.least_loaded({1: 0, 2: 9}, {1: 2, 2: 10}, 3) is None
    assert account_load.least_loaded({1: 0, 2: 7}, {1: 2, 2: 10}, 3) == 2


def test_zero_capacity_takes_nothing():
    assert account_load.least_loaded({}, {1: 0}, 0) is None


def test_ties_go_to_lower_load_then_lower_id():
    assert account_load.least_loaded({1: 2, 2: 1}, {1: 4, 2: 2}, 1) == 2
    assert account_load.least_loaded({}, {7: 5, 3: 5}, 1) == 3


def test_spread_balances_and_reports_leftovers():
    loads = {1: 0, 2: 0}
    assigned, left = account_load.spread(
        [(10, "A"), (11, "A"), (12, "B"), (13, "A")],
        loads,
        {1: 6, 2: 5},
        {"A": 3, "B": 2},
    )
    # 10 -> 1 (tie, lower id), 11 -> 2, 12 -> 1 (3/6 = 0.5 < 3/5), 13: no room
    assert assigned == {10: 1, 11: 2, 12: 1}
    assert left == [13]
    assert loads == {1: 0, 2: 0}, "the caller's loads are not modified"


def test_spread_unknown_tier_weighs_one():
    assigned, left = account_load.spread([(1, "X")], {}, {5: 1}, {})
    assert assigned == {1: 5} and left == []


def test_the_preferred_manager_takes_the_account_when_they_have_room():
    loads = {1: 0, 2: 5}
    capacities = {1: 10, 2: 10}
    weights = {"B": 3}
    assigned, left = account_load.spread(
        [(10, "B"), (11, "B")], loads, capacities, weights, preferred={10: 2, 11: 7}
    )
    # 2 has room for account 10; 7 manages no key accounts: the least loaded
    assert assigned == {10: 2, 11: 1} and not left
    # no room left for the preferred one: the least loaded takes it
    assigned, _left = account_load.spread(
        [(10, "B")], {1: 0, 2: 9}, capacities, weights, preferred={10: 2}
    )
    assert assigned == {10: 1}
