import pytest

from conftest import load_logic_module

abc = load_logic_module("abc_ranking")


def abc_grades(a, b):
    return [("A", a), ("B", b), ("C", None)]


def tiers(result):
    return {key: r.tier for key, r in result.items()}


def test_top_5_percent_a_next_15_b():
    values = {i: 1000 - i for i in range(1, 101)}  # 100 distinct values
    result = abc.assign_tiers(values, abc_grades(5, 15))
    by_tier = {t: sorted(k for k, r in result.items() if r.tier == t) for t in "ABC"}
    assert by_tier["A"] == [1, 2, 3, 4, 5]
    assert by_tier["B"] == list(range(6, 21))
    assert len(by_tier["C"]) == 80
    assert result[1].rank == 1
    assert result[100].rank == 100
    assert result[5].percentile == 5.0


def test_ties_never_split_and_go_to_better_tier():
    # 20 customers; positions 1 (A), then 5 tied at positions 2..6 straddling 5%/20%
    values = {1: 100, **{i: 50 for i in range(2, 7)}, **{i: 1 for i in range(7, 21)}}
    result = abc.assign_tiers(values, abc_grades(5, 15))
    assert result[1].tier == "A"
    tied = {result[i].tier for i in range(2, 7)}
    assert tied == {"B"}, "the whole tie group shares one tier"
    assert {result[i].rank for i in range(2, 7)} == {2}


def test_tie_straddling_a_boundary_goes_to_better_tier():
    # 40 customers: A limit = 2 customers; customers 2 and 3 tie across it
    values = {i: 100 - i for i in range(1, 41)}
    values[3] = values[2]
    result = abc.assign_tiers(values, abc_grades(5, 15))
    assert result[2].tier == "A"
    assert result[3].tier == "A"
    assert result[4].tier == "B"


def test_deterministic_whatever_the_input_order():
    values = {i: (i * 37) % 11 for i in range(1, 200)}
    shuffled = dict(reversed(list(values.items())))
    assert tiers(abc.assign_tiers(values, abc_grades(5, 15))) == tiers(
        abc.assign_tiers(shuffled, abc_grades(5, 15))
    )


def test_zero_value_is_always_c():
    values = {1: 0, 2: 0, 3: 0}
    assert set(tiers(abc.assign_tiers(values, abc_grades(50, 30))).values()) == {"C"}
    values = {1: 10, 2: 0, 3: None}
    result = abc.assign_tiers(values, abc_grades(40, 30))
    assert result[1].tier == "A"
    assert result[2].tier == "C"
    assert result[3].tier == "C"


def test_negative_value_is_c():
    result = abc.assign_tiers({1: -50, 2: 10}, abc_grades(50, 30))
    assert result[1].tier == "C"
    assert result[2].tier == "A"


def test_empty_input():
    assert abc.assign_tiers({}, abc_grades(5, 15)) == {}


def test_single_customer_with_value_is_a_only_if_share_allows():
    assert abc.assign_tiers({7: 10}, abc_grades(5, 15))[7].tier == "C"  # 100 % > 20 %
    assert abc.assign_tiers({7: 10}, abc_grades(100 - 1, 1))[7].tier == "B"


@pytest.mark.parametrize(
    "a, b",
    [(0, 10), (-1, 10), (10, 0), (60, 50), (None, 10), (5, -1), (100, 0), (99, 1.5)],
)
def test_invalid_thresholds(a, b):
    assert abc.validate_shares([a, b])
    with pytest.raises(ValueError):
        abc.assign_tiers({1: 1}, abc_grades(a, b))


@pytest.mark.parametrize("a, b", [(5, 15), (80, 20), (0.5, 0.5), (99, 1)])
def test_valid_thresholds(a, b):
    assert abc.validate_shares([a, b]) is None


def test_unknown_method():
    with pytest.raises(ValueError):
        abc.assign_tiers({1: 1}, abc_grades(5, 15), method="alphabetical")


def test_pareto_value_share():
    # total 100: 50 + 30 = 80 % -> A includes the customer crossing 80 %
    values = {1: 50, 2: 30, 3: 10, 4: 5, 5: 3, 6: 2}
    result = abc.assign_tiers(values, abc_grades(80, 15), method=abc.BY_VALUE_SHARE)
    assert tiers(result) == {1: "A", 2: "A", 3: "B", 4: "B", 5: "C", 6: "C"}


def test_pareto_crossing_customer_is_included():
    values = {1: 70, 2: 20, 3: 10}
    result = abc.assign_tiers(values, abc_grades(80, 15), method=abc.BY_VALUE_SHARE)
    assert result[2].tier == "A", "70 % before it is below 80 %: it completes A"
    assert result[3].tier == "B", "90 % before it is still below A + B = 95 %"


def test_pareto_ties_share_a_tier():
    values = {1: 40, 2: 40, 3: 10, 4: 10}
    result = abc.assign_tiers(values, abc_grades(30, 50), method=abc.BY_VALUE_SHARE)
    assert result[1].tier == result[2].tier == "A"
    assert result[3].tier == result[4].tier == "C"


def test_pareto_all_zero():
    result = abc.assign_tiers(
        {1: 0, 2: 0}, abc_grades(80, 15), method=abc.BY_VALUE_SHARE
    )
    assert set(tiers(result).values()) == {"C"}


def test_normalise():
    assert abc.normalise({1: 50, 2: 100, 3: 0}) == {1: 0.5, 2: 1.0, 3: 0.0}
    assert abc.normalise({1: 0, 2: 0}) == {1: 0.0, 2: 0.0}
    assert abc.normalise({}) == {}


def test_weighted_mix_normalises_each_input():
    inputs = {
        "revenue": {1: 1_000_000, 2: 500_000},
        "years": {1: 1, 2: 10},
    }
    scores = abc.weighted_mix(inputs, {"revenue": 1, "years": 1})
    assert scores[1] == pytest.approx((1.0 + 0.1) / 2)
    assert scores[2] == pytest.approx((0.5 + 1.0) / 2)
    assert scores[2] > scores[1], "years weigh as much as revenue once normalised"


def test_weighted_mix_ignores_zero_weights_and_fills_missing():
    scores = abc.weighted_mix(
        {"revenue": {1: 10}, "volume": {2: 5}}, {"revenue": 1, "volume": 0}
    )
    assert scores == {1: 1.0, 2: 0.0}


@pytest.mark.parametrize("weights", [{"a": 0, "b": 0}, {"a": -1, "b": 2}, {}])
def test_weighted_mix_rejects_bad_weights(weights):
    with pytest.raises(ValueError):
        abc.weighted_mix({"a": {1: 1}}, weights)


@pytest.mark.parametrize(
    "recent, previous, expected",
    [(150, 100, 50.0), (50, 100, -50.0), (10, 0, None), (0, None, None)],
)
def test_growth_percent(recent, previous, expected):
    assert abc.growth_percent(recent, previous) == expected


@pytest.mark.parametrize(
    "previous, new, direction",
    [("C", "A", "up"), ("A", "B", "down"), ("B", "B", None), (None, "A", None)],
)
def test_tier_direction(previous, new, direction):
    assert abc.tier_direction(previous, new, {"A": 0, "B": 1, "C": 2}) == direction


RAILWAY = [("A", 5), ("B", 15), ("C", 30), ("D", None)]


def test_four_grades_by_customer_share():
    values = {i: 1000 - i for i in range(1, 101)}
    result = abc.assign_tiers(values, RAILWAY)
    by_grade = {g: sorted(k for k, r in result.items() if r.tier == g) for g in "ABCD"}
    assert by_grade["A"] == [1, 2, 3, 4, 5]
    assert by_grade["B"] == list(range(6, 21))
    assert by_grade["C"] == list(range(21, 51))
    assert by_grade["D"] == list(range(51, 101))


def test_five_grades_ties_never_split():
    grades = [("S", 10), ("A", 10), ("B", 20), ("C", 20), ("D", None)]
    # 10 customers, limits at 1, 2, 4 and 6 customers: 4 and 5 tie across the
    # B/C limit, 6-8 across the C/D limit; each tie takes the better grade
    values = {1: 100, 2: 90, 3: 80, 4: 70, 5: 70, 6: 60, 7: 60, 8: 60, 9: 1, 10: 0}
    result = abc.assign_tiers(values, grades)
    assert tiers(result) == {
        1: "S", 2: "A", 3: "B", 4: "B", 5: "B",
        6: "C", 7: "C", 8: "C", 9: "D", 10: "D",
    }  # fmt: skip


def test_four_grades_pareto():
    grades = [("A", 50), ("B", 30), ("C", 15), ("D", None)]
    values = {1: 50, 2: 20, 3: 10, 4: 9, 5: 6, 6: 5}
    result = abc.assign_tiers(values, grades, method=abc.BY_VALUE_SHARE)
    # value ranked before: 0 % (A), 50 (B), 70 (B), 80 (C), 89 (C), 95 (D)
    assert tiers(result) == {1: "A", 2: "B", 3: "B", 4: "C", 5: "C", 6: "D"}


@pytest.mark.parametrize(
    "grades",
    [[("A", 5)], [("A", 5), ("A", None)], [("A", 5), ("B", 0), ("C", None)]],
)
def test_invalid_grades(grades):
    with pytest.raises(ValueError):
        abc.assign_tiers({1: 1}, grades)


def test_direction_follows_the_configured_order():
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    assert abc.tier_direction("D", "C", order) == "up"
    assert abc.tier_direction("A", "D", order) == "down"
    assert abc.tier_direction("X", "A", order) is None, "a removed grade: no move"
