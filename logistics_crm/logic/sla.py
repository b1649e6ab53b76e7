"""Service-level arithmetic that needs no database.

Calendar math (working hours, deadlines) stays in the models, on Odoo's
``resource.calendar``; what is left here is the matching of SLA policies and
the status of a ticket against its targets, so that both are tested without
a database.
"""

ON_TRACK = "on_track"
AT_RISK = "at_risk"
BREACHED = "breached"
MET = "met"
# worst first: a ticket's status is the worst status of its targets
STATUS_ORDER = (BREACHED, AT_RISK, ON_TRACK, MET)
MATCH_KEYS = ("tier", "priority", "type_id", "team_id")
HIGHEST_PRIORITY = "3"


def policy_specificity(policy, ticket):
    """How many criteria ``policy`` sets, or None when one of them differs.

    An empty criterion matches anything; ``policy`` and ``ticket`` are dicts
    keyed by ``MATCH_KEYS``.
    """
    score = 0
    for key in MATCH_KEYS:
        wanted = policy.get(key)
        if not wanted:
            continue
        if wanted != ticket.get(key):
            return None
        score += 1
    return score


def most_specific_policy(policies, ticket):
    """The id of the matching policy that sets the most criteria.

    Ties go to the lower ``sequence``, then to the lower id, so the choice is
    stable. None when no policy matches.
    """
    best_id, best_key = None, None
    for policy in policies:
        score = policy_specificity(policy, ticket)
        if score is None:
            continue
        key = (-score, policy.get("sequence") or 0, policy["id"])
        if best_key is None or key < best_key:
            best_id, best_key = policy["id"], key
    return best_id


def target_status(
    now,
    deadline,
    reached=None,
    remaining_hours=0.0,
    target_hours=0.0,
    at_risk_percent=0.0,
    breached=False,
):
    """Status of one target (first response or resolution).

    ``reached`` is when the target was reached (response sent, ticket closed);
    ``remaining_hours`` the working hours left until ``deadline``. A breach that
    was recorded (``breached``) stays a breach whatever happens afterwards.
    """
    if not deadline:
        return None
    if breached:
        return BREACHED
    if reached:
        return MET if reached <= deadline else BREACHED
    if now > deadline:
        return BREACHED
    if target_hours and remaining_hours <= target_hours * at_risk_percent / 100.0:
        return AT_RISK
    return ON_TRACK


def combine_status(*statuses):
    """The worst of the given statuses (None ignored), or None without any."""
    present = [status for status in statuses if status]
    for status in STATUS_ORDER:
        if status in present:
            return status
    return None


def escalated_priority(priority):
    """One level up, capped at the highest priority."""
    level = int(priority or 0)
    return str(min(level + 1, int(HIGHEST_PRIORITY)))


def complaint_rate(complaints, shipments):
    """Complaints per 100 shipments, or None when no shipment is known."""
    if not shipments or shipments <= 0:
        return None
    return complaints * 100.0 / shipments


def compliance_percent(met, breached):
    """Share of closed tickets that met their SLA, in percent (None: none)."""
    total = met + breached
    if not total:
        return None
    return met * 100.0 / total
