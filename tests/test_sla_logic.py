from datetime import datetime, timedelta

import pytest

from conftest import load_logic_module

sla = load_logic_module("sla")

NOW = datetime(2026, 3, 2, 10, 0)


def test_empty_policy_matches_anything():
    assert sla.policy_specificity({}, {"tier": "A", "priority": "3"}) == 0


def test_differing_criterion_does_not_match():
    assert sla.policy_specificity({"tier": "B"}, {"tier": "A"}) is None


def test_most_specific_policy_wins():
    ticket = {"tier": "A", "priority": "3", "type_id": 7, "team_id": 2}
    policies = [
        {"id": 1, "sequence": 1},
        {"id": 2, "sequence": 10, "tier": "A"},
        {"id": 3, "sequence": 20, "tier": "A", "type_id": 7},
        {"id": 4, "sequence": 0, "tier": "A", "type_id": 8, "team_id": 2},
    ]
    assert sla.most_specific_policy(policies, ticket) == 3


def test_ties_go_to_sequence_then_id():
    ticket = {"tier": "A", "priority": "2"}
    policies = [
        {"id": 5, "sequence": 10, "tier": "A"},
        {"id": 6, "sequence": 5, "priority": "2"},
        {"id": 4, "sequence": 5, "tier": "A"},
    ]
    assert sla.most_specific_policy(policies, ticket) == 4


def test_no_policy_matches():
    assert sla.most_specific_policy([{"id": 1, "tier": "C"}], {"tier": "A"}) is None
    assert sla.most_specific_policy([], {"tier": "A"}) is None


def test_target_status():
    deadline = NOW + timedelta(hours=8)
    assert sla.target_status(NOW, False) is None
    assert (
        sla.target_status(NOW, deadline, remaining_hours=6, target_hours=8)
        == sla.ON_TRACK
    )
    assert (
        sla.target_status(
            NOW, deadline, remaining_hours=1, target_hours=8, at_risk_percent=20
        )
        == sla.AT_RISK
    )
    assert sla.target_status(deadline + timedelta(minutes=1), deadline) == sla.BREACHED
    assert sla.target_status(NOW, deadline, reached=NOW) == sla.MET
    late = deadline + timedelta(hours=1)
    assert sla.target_status(late, deadline, reached=late) == sla.BREACHED


def test_recorded_breach_stays_after_close():
    deadline = NOW + timedelta(hours=8)
    assert sla.target_status(NOW, deadline, reached=NOW, breached=True) == sla.BREACHED


def test_combine_status_takes_the_worst():
    assert sla.combine_status(sla.MET, sla.ON_TRACK) == sla.ON_TRACK
    assert sla.combine_status(sla.AT_RISK, sla.ON_TRACK) == sla.AT_RISK
    assert sla.combine_status(sla.MET, sla.BREACHED, None) == sla.BREACHED
    assert sla.combine_status(sla.MET, None) == sla.MET
    assert sla.combine_status(None, None) is None


@pytest.mark.parametrize(
    ("priority", "expected"),
    [("0", "1"), ("1", "2"), ("2", "3"), ("3", "3"), (False, "1")],
)
def test_escalated_priority(priority, expected):
    assert sla.escalated_priority(priority) == expected


def test_complaint_rate():
    assert sla.complaint_rate(3, 200) == 1.5
    assert sla.complaint_rate(3, 0) is None
    assert sla.complaint_rate(0, 50) == 0.0


def test_compliance_percent():
    assert sla.compliance_percent(3, 1) == 75.0
    assert sla.compliance_percent(0, 0) is None
