import pytest

from conftest import load_logic_module

health = load_logic_module("health")


def test_linear_clamps_both_ways():
    assert health.linear(0, 0, 5) == 100.0
    assert health.linear(5, 0, 5) == 0.0
    assert health.linear(10, 0, 5) == 0.0
    assert health.linear(2.5, 0, 5) == 50.0
    assert health.linear(5, 5, 1) == 100.0


@pytest.mark.parametrize(
    "growth, expected", [(None, None), (20, 100.0), (0, 100.0), (-25, 50.0), (-80, 0.0)]
)
def test_trend_score(growth, expected):
    assert health.trend_score(growth) == expected


def test_service_score_per_100_shipments():
    assert health.service_score(0, 0, 0) is None, "nothing measured"
    assert health.service_score(1, 1, 200) == 80.0  # 1 issue per 100 shipments
    assert health.service_score(0, 3, 0) == 40.0, "issues without shipments"
    assert health.service_score(5, 5, 100) == 0.0


def test_satisfaction_and_payment():
    assert health.satisfaction_score(None, None) is None
    assert health.satisfaction_score(5.0, 3.0) == 75.0
    assert health.payment_score(None, 0) is None
    assert health.payment_score(15, 0) == 50.0
    assert health.payment_score(0, 4) == 20.0, "overdue invoices cap it"


def test_combine_ignores_unknown_signals():
    scores = {"trend": 100.0, "service": None, "payment": 40.0}
    assert health.combine(scores, {"trend": 1, "service": 5, "payment": 1}) == 70.0
    assert health.combine({"trend": None}, {"trend": 1}) is None
    assert health.combine(scores, {"trend": 0, "payment": 0}) is None


def test_status_and_weakest_signals():
    assert health.status(None, 70, 40) is None
    assert health.status(80, 70, 40) == health.HEALTHY
    assert health.status(55, 70, 40) == health.WATCH
    assert health.status(39.9, 70, 40) == health.AT_RISK
    scores = {"trend": 10.0, "service": 90.0, "visits": 0.0, "payment": 60.0}
    assert health.weakest_signals(scores) == ["visits", "trend"]


def test_survey_score_averages_recommend_and_service_quality():
    assert health.survey_score(10, 5.0) == 100.0
    assert health.survey_score(0, 1.0) == 0.0
    assert health.survey_score(5, None) == 50.0
    assert health.survey_score(None, 3.0) == 50.0
    assert health.survey_score(None, None) is None


def test_nps_categories_and_score():
    assert [health.nps_category(v) for v in (10, 9, 8, 7, 6, 0)] == [
        "promoter",
        "promoter",
        "passive",
        "passive",
        "detractor",
        "detractor",
    ]
    # 2 promoters, 1 passive, 1 detractor of 4 answers: 50% - 25%
    assert health.nps([10, 9, 7, 3]) == 25.0
    assert health.nps([0, 6]) == -100.0
    assert health.nps([]) is None
    # the mean of the per-answer values is the NPS (what the pivot shows)
    answers = [10, 9, 7, 3]
    values = [health.NPS_VALUES[health.nps_category(v)] for v in answers]
    assert sum(values) / len(values) == health.nps(answers)


def test_no_signal_is_no_data_not_healthy():
    weights = dict.fromkeys(health.SIGNALS, 1.0)
    nothing = dict.fromkeys(health.SIGNALS)
    assert health.assess(nothing, weights, 70, 40) == (None, health.NO_DATA)
    # "no visit overdue" is known of every customer: alone it is not data
    only_visits = {**nothing, "visits": 100.0}
    assert health.assess(only_visits, weights, 70, 40) == (None, health.NO_DATA)
    assert not health.has_data(only_visits)
    # revenue in the window is: the visits then score it
    assert health.assess(only_visits, weights, 70, 40, has_revenue=True) == (
        100.0,
        health.HEALTHY,
    )
    late = {**only_visits, "payment": 0.0}
    assert health.assess(late, weights, 70, 40) == (50.0, health.WATCH)
    # known, but weighing nothing: no score either
    zero = {**weights, "payment": 0.0, "visits": 0.0}
    assert health.assess(late, zero, 70, 40) == (None, health.NO_DATA)
