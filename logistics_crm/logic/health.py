"""Account health: signals scored 0-100 (100 is best), combined by weight.

Pure and Odoo-free. A signal without data (no shipments, no rating yet) is None
and left out of the weighted mean, so a new customer is not punished for what
nobody measured. A customer of whom nothing is known (no revenue, no shipments,
no ticket, rating, payment or survey) has no score and the status NO_DATA:
neither healthy nor at risk.
"""

HEALTHY = "healthy"
WATCH = "watch"
AT_RISK = "at_risk"
NO_DATA = "no_data"

PROMOTER = "promoter"
PASSIVE = "passive"
DETRACTOR = "detractor"
# one answer's share of the NPS: the mean of these over answers is the NPS
NPS_VALUES = {PROMOTER: 100.0, PASSIVE: 0.0, DETRACTOR: -100.0}

SIGNALS = ("trend", "service", "satisfaction", "visits", "payment", "survey")
# what the customer did or said; overdue visits are the account team's doing
# (and "none overdue" is known of every customer), so alone they tell nothing
CUSTOMER_SIGNALS = ("trend", "service", "satisfaction", "payment", "survey")


def linear(value, best, worst):
    """100 at `best`, 0 at `worst` (either direction), clamped in between."""
    if best == worst:
        return 100.0 if value == best else 0.0
    share = (value - worst) / (best - worst)
    return round(max(0.0, min(1.0, share)) * 100.0, 1)


def trend_score(growth_percent):
    """Value of the last 3 months against the 3 before: flat or growing is
    healthy, a halving scores 0."""
    if growth_percent is None:
        return None
    return linear(growth_percent, 0.0, -50.0)


def service_score(breaches, complaints, shipments):
    """SLA breaches and complaints of the last 90 days per 100 shipments (per
    ticket when nothing was shipped): none is 100, five or more 0."""
    issues = (breaches or 0) + (complaints or 0)
    if not shipments:
        return None if not issues else linear(issues, 0, 5)
    return linear(issues * 100.0 / shipments, 0, 5)


def satisfaction_score(*averages):
    """Mean of the available 1-5 averages (ticket ratings, visit satisfaction)."""
    known = [value for value in averages if value]
    if not known:
        return None
    return linear(sum(known) / len(known), 5.0, 1.0)


def visits_score(overdue_visits):
    """Planned visits past their date: none is 100, three or more 0."""
    return linear(overdue_visits or 0, 0, 3)


def payment_score(average_days_late, overdue_invoices):
    """Days late on average (30 or more scores 0), capped by the number of
    invoices overdue now (five or more score 0). No payment history: None."""
    if average_days_late is None and not overdue_invoices:
        return None
    score = linear(average_days_late or 0.0, 0.0, 30.0)
    if overdue_invoices:
        score = min(score, linear(overdue_invoices, 0, 5))
    return score


def survey_score(recommend, service_quality):
    """The customer's last relationship survey: the 0-10 would-recommend answer
    and the 1-5 mean of the service-quality dimensions, averaged. Not surveyed
    (or nothing answered): None."""
    parts = []
    if recommend is not None:
        parts.append(linear(recommend, 10.0, 0.0))
    if service_quality:
        parts.append(linear(service_quality, 5.0, 1.0))
    if not parts:
        return None
    return round(sum(parts) / len(parts), 1)


def nps_category(recommend):
    """Net Promoter categories of a 0-10 would-recommend answer."""
    if recommend is None:
        return None
    if recommend >= 9:
        return PROMOTER
    if recommend >= 7:
        return PASSIVE
    return DETRACTOR


def nps(recommend_answers):
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100..100."""
    answers = [value for value in recommend_answers if value is not None]
    if not answers:
        return None
    categories = [nps_category(value) for value in answers]
    return round(
        (categories.count(PROMOTER) - categories.count(DETRACTOR))
        * 100.0
        / len(answers),
        1,
    )


def combine(scores, weights):
    """Weighted mean of the known signal scores, or None when none is known.

    :param scores: {signal: score or None}
    :param weights: {signal: weight >= 0}
    """
    total = sum(
        weights.get(name, 0) for name, score in scores.items() if score is not None
    )
    if total <= 0:
        return None
    weighted = sum(
        weights.get(name, 0) * score
        for name, score in scores.items()
        if score is not None
    )
    return round(weighted / total, 1)


def status(score, watch_below, at_risk_below):
    if score is None:
        return None
    if score < at_risk_below:
        return AT_RISK
    if score < watch_below:
        return WATCH
    return HEALTHY


def has_data(scores, has_revenue=False):
    """Whether anything is known of the customer: revenue in the window, or a
    customer signal (shipments, tickets, ratings, payments, a survey)."""
    return bool(has_revenue) or any(
        scores.get(name) is not None for name in CUSTOMER_SIGNALS
    )


def assess(scores, weights, watch_below, at_risk_below, has_revenue=False):
    """(score, status) of a customer: (None, NO_DATA) when nothing is known of
    it, or when no known signal weighs anything."""
    if not has_data(scores, has_revenue):
        return None, NO_DATA
    score = combine(scores, weights)
    if score is None:
        return None, NO_DATA
    return score, status(score, watch_below, at_risk_below)


def weakest_signals(scores, limit=2, below=70.0):
    """The signals pulling the score down, worst first."""
    weak = sorted(
        (score, name)
        for name, score in scores.items()
        if score is not None and score < below
    )
    return [name for _score, name in weak[:limit]]
