"""Stakeholder risk and engagement readiness (the domain reference, sections 3 and 4).

Every number the user sees is built from named terms so the product can show
its working: a risk is never a black box. The weights and factors below are the
domain reference's proposal; each constant says where it comes from.

Decisions where the reference leaves room:

- ADKAR barrier. Elements are read in the order awareness, desire, knowledge,
  ability, reinforcement and absent elements are skipped: the barrier is the
  first *scored* element at 3 or lower. With no element scored at all the
  barrier is unknown (term 0.4: not knowing is a risk, but a smaller one than a
  known awareness or desire gap). With some elements scored and all of them at
  4 or above there is no barrier (term 0). A partly filled ADKAR therefore
  counts as evidence: the team estimated what it knows. Survey means can be
  fractional; 3.5 is not "3 or lower", so it is not a barrier.
- Rounding. Risk and readiness round half up (22.5 gives 23), not with
  Python's round-half-to-even: a user who recomputes a score by hand from the
  shown terms expects school rounding. Products of the weights carry binary
  floating-point noise (22.5 may arrive as 22.499999999999996), so values are
  first rounded to 9 decimals, far below any meaningful difference.
- Readiness averages the stakeholders' final (rounded, floored) risks, the
  numbers the user sees, weighted by consequence, so it can be recomputed from
  the screen.
- An "open" resistance point (for the resistor definition) is one that is
  neither `resolved` nor `accepted`: the team is still working on it. An
  accepted point still counts in the risk's resistance term (factor 0.8) but no
  longer makes its stakeholder a resistor who needs a plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from changeready.core.model import (
    ADKAR_ELEMENTS,
    ENGAGEMENT_LEVELS,
    Adkar,
    ResistancePoint,
    Stakeholder,
)

# Inputs 1-5 are normalised to 0-1 (the domain reference, section 4).
LEVEL_MIN = 1
LEVEL_MAX = 5

# Consequence: how much damage this stakeholder can do to adoption. Influence
# (Mendelow's power axis) weighs more than impact because a powerful blocker
# stops a rollout for everyone; the floor keeps a low-power, low-impact
# stakeholder from vanishing entirely from the readiness mean.
CONSEQUENCE_INFLUENCE_WEIGHT = 0.6
CONSEQUENCE_IMPACT_WEIGHT = 0.4
CONSEQUENCE_FLOOR = 0.1

# Likelihood weights (sum 1.0), the domain reference's proposal.
LIKELIHOOD_ENGAGEMENT_WEIGHT = 0.30
LIKELIHOOD_RESISTANCE_WEIGHT = 0.25
LIKELIHOOD_SIGNALS_WEIGHT = 0.15
LIKELIHOOD_BARRIER_WEIGHT = 0.20
LIKELIHOOD_NOT_INVOLVED_WEIGHT = 0.10

# E, the engagement gap by current level (PMBOK engagement matrix). Used only
# when the current level is below the desired one in the matrix order;
# `unaware` is milder than `resistant` because nobody has said no yet.
ENGAGEMENT_GAP = {
    "resistant": 1.0,
    "unaware": 0.6,
    "neutral": 0.5,
    "supportive": 0.2,
    "leading": 0.0,
}

# R, how much of a resistance point's severity is still live, by mitigation
# status. `accepted` stays high because accepting a risk does not shrink it.
MITIGATION_FACTOR = {
    "open": 1.0,
    "planned": 0.7,
    "in_progress": 0.5,
    "accepted": 0.8,
    "resolved": 0.1,
}
# Statuses after which a resistance point no longer needs work.
CLOSED_MITIGATION_STATUSES = frozenset({"resolved", "accepted"})
# A mitigation at this status has no plan yet, whatever else is filled in.
NO_PLAN_STATUS = "open"
# Engagement levels of a stakeholder who was won over: never a resistor, their
# signals are history (docs/domain.md, "Resistors").
WON_OVER_ENGAGEMENT = frozenset({"supportive", "leading"})
# A resistance point this severe, still open, makes its stakeholder a resistor.
RESISTOR_MIN_SEVERITY = 3

# S, resistor signals: each of `authority_decreases`, `job_gets_harder`,
# `opposed_purchase` adds this much, capped at 1.
SIGNAL_WEIGHT = 0.5
SIGNALS_CAP = 1.0

# B, the ADKAR barrier term: earlier elements weigh more because later ones
# cannot be built without them (Prosci).
BARRIER_WEIGHT = {
    "awareness": 1.0,
    "desire": 0.9,
    "knowledge": 0.6,
    "ability": 0.5,
    "reinforcement": 0.3,
}
BARRIER_NONE_WEIGHT = 0.0
BARRIER_UNKNOWN_WEIGHT = 0.4
# An element scoring this or lower is a barrier (Prosci's 1-5 ADKAR scale).
BARRIER_MAX_SCORE = 3

# I, not in the room: these roles must have taken part in the implementation.
HANDS_ON_ROLES = frozenset({"daily_user", "people_manager", "product_admin"})

# Mendelow's grid splits each 1-5 axis at 3.
QUADRANT_THRESHOLD = 3

# The floor: people who neither know nor want the change four weeks before
# go-live cannot adopt it in time, whatever the weighted sum says.
FLOOR_RISK = 40
FLOOR_MIN_IMPACT = 4
FLOOR_BARRIERS = frozenset({"awareness", "desire"})
FLOOR_DAYS_TO_GO_LIVE = 28

# Risk bands: high >= 40, medium 20-39, low < 20.
HIGH_RISK_MIN = 40
MEDIUM_RISK_MIN = 20

# Readiness caps by the worst finding, and its bands.
CRITICAL_READINESS_CAP = 49
WARNING_READINESS_CAP = 79
READY_MIN = 80
AT_RISK_MIN = 50

# Decimals of the terms shown to the user.
TERM_DECIMALS = 3

# Decimals removed as floating-point noise before rounding half up.
ROUNDING_NOISE_DECIMALS = 9


def round_half_up(value: float) -> int:
    """Round to the nearest integer, halves away from zero for positive values."""
    return math.floor(round(value, ROUNDING_NOISE_DECIMALS) + 0.5)


def normalise(level: float) -> float:
    """n(x) = (x - 1) / 4: a 1-5 level on 0-1."""
    return (level - LEVEL_MIN) / (LEVEL_MAX - LEVEL_MIN)


def quadrant(stakeholder: Stakeholder) -> str:
    """Mendelow's power/interest quadrant."""
    powerful = stakeholder.influence >= QUADRANT_THRESHOLD
    interested = stakeholder.interest >= QUADRANT_THRESHOLD
    if powerful:
        return "manage_closely" if interested else "keep_satisfied"
    return "keep_informed" if interested else "monitor"


def has_adkar_scores(adkar: Adkar) -> bool:
    """Whether any ADKAR element is scored; without any the barrier is unknown."""
    return any(score is not None for score in adkar.as_dict().values())


def adkar_barrier(adkar: Adkar) -> str | None:
    """The first scored ADKAR element at 3 or lower; None when there is none.

    None covers both "all scored elements are 4 or 5" and "nothing scored";
    `has_adkar_scores` tells them apart.
    """
    for element in ADKAR_ELEMENTS:
        score = getattr(adkar, element)
        if score is not None and score <= BARRIER_MAX_SCORE:
            return element
    return None


def is_open_resistance(point: ResistancePoint) -> bool:
    """A point the team still has to work on (neither resolved nor accepted)."""
    return point.status not in CLOSED_MITIGATION_STATUSES


def resistor_reasons(
    stakeholder: Stakeholder, resistance_points: Iterable[ResistancePoint]
) -> tuple[str, ...]:
    """Why a stakeholder counts as a resistor, in plain words; empty if not one."""
    reasons = []
    if stakeholder.engagement == "resistant":
        reasons.append("resistant")
    if stakeholder.opposed_purchase:
        reasons.append("opposed the purchase")
    if stakeholder.job_gets_harder:
        reasons.append("their job gets harder")
    if stakeholder.authority_decreases:
        reasons.append("loses authority")
    if any(
        is_open_resistance(point) and point.severity >= RESISTOR_MIN_SEVERITY
        for point in resistance_points
    ):
        reasons.append(f"open resistance of severity {RESISTOR_MIN_SEVERITY} or more")
    return tuple(reasons)


def is_resistor(stakeholder: Stakeholder, resistance_points: Iterable[ResistancePoint]) -> bool:
    """A resistor: not yet supportive or leading, with a resistor signal (docs/domain.md).

    A supportive or leading stakeholder was won over: their unresolved points
    are concerns that still need a plan item, not a resistor's treatment.
    """
    return stakeholder.engagement not in WON_OVER_ENGAGEMENT and bool(
        resistor_reasons(stakeholder, resistance_points)
    )


def has_mitigation_plan(point: ResistancePoint) -> bool:
    """A strategy, a named owner and a status past `open` (docs/domain.md).

    A strategy and an owner on a point still marked "open (no plan yet)" are
    an intention, not a plan.
    """
    return bool(point.strategy) and bool(point.owner.strip()) and point.status != NO_PLAN_STATUS


# A group whose headcount nobody recorded counts as this many people: enough to
# weigh more than one person, few enough not to swamp groups that were counted.
DEFAULT_GROUP_PEOPLE = 10


def people_of(stakeholder: Stakeholder, stakeholders_by_id: Mapping[str, Stakeholder]) -> int:
    """How many people a stakeholder stands for (docs/domain.md, "People").

    A group: its headcount (10 when absent; 0 weighs nothing). A person inside
    a group of the landscape: 0, because the group's headcount already counts
    them. Any other person: 1. `stakeholders_by_id` is the landscape by id.
    """
    if stakeholder.kind == "group":
        return DEFAULT_GROUP_PEOPLE if stakeholder.headcount is None else stakeholder.headcount
    group = stakeholders_by_id.get(stakeholder.group_id) if stakeholder.group_id else None
    return 0 if group is not None and group.kind == "group" else 1


# The calendar ramp (docs/domain.md, "The calendar ramp"): it starts this many
# days before go-live and reaches its full height over this many days, so it
# rises by at most one point a day and nothing jumps overnight.
RAMP_START_DAYS = 56
RAMP_LENGTH_DAYS = 42


def ramp_factor(days_to_go_live: int) -> Fraction:
    """min(1, max(0, (56 - d) / 42)): 0 eight weeks out, 1 from two weeks out on."""
    return min(
        Fraction(1), max(Fraction(0), Fraction(RAMP_START_DAYS - days_to_go_live, RAMP_LENGTH_DAYS))
    )


def consequence_term(stakeholder: Stakeholder) -> float:
    """0.6 n(influence) + 0.4 n(impact), floored at 0.1."""
    weighted = CONSEQUENCE_INFLUENCE_WEIGHT * normalise(
        stakeholder.influence
    ) + CONSEQUENCE_IMPACT_WEIGHT * normalise(stakeholder.impact)
    return max(CONSEQUENCE_FLOOR, weighted)


def engagement_term(stakeholder: Stakeholder) -> float:
    """E: the gap between current and desired engagement, 0 when there is none."""
    current = ENGAGEMENT_LEVELS.index(stakeholder.engagement)
    desired = ENGAGEMENT_LEVELS.index(stakeholder.desired_engagement)
    if current >= desired:
        return 0.0
    return ENGAGEMENT_GAP[stakeholder.engagement]


def resistance_term(resistance_points: Iterable[ResistancePoint]) -> float:
    """R: the worst resistance point, discounted by how far its mitigation got."""
    return max(
        (
            normalise(point.severity) * MITIGATION_FACTOR[point.status]
            for point in resistance_points
        ),
        default=0.0,
    )


def signals_term(stakeholder: Stakeholder) -> float:
    """S: resistor signals the team recorded, 0.5 each, capped at 1."""
    count = sum(
        (stakeholder.authority_decreases, stakeholder.job_gets_harder, stakeholder.opposed_purchase)
    )
    return min(SIGNALS_CAP, SIGNAL_WEIGHT * count)


def barrier_term(adkar: Adkar) -> float:
    """B: the weight of the ADKAR barrier; unknown when nothing is scored."""
    if not has_adkar_scores(adkar):
        return BARRIER_UNKNOWN_WEIGHT
    barrier = adkar_barrier(adkar)
    return BARRIER_NONE_WEIGHT if barrier is None else BARRIER_WEIGHT[barrier]


def not_involved_term(stakeholder: Stakeholder) -> int:
    """I: 1 when someone who works in the product was never in the room."""
    return int(stakeholder.role in HANDS_ON_ROLES and not stakeholder.involvement)


def risk_band(risk: int) -> str:
    if risk >= HIGH_RISK_MIN:
        return "high"
    if risk >= MEDIUM_RISK_MIN:
        return "medium"
    return "low"


def readiness_band(score: int) -> str:
    if score >= READY_MIN:
        return "ready"
    if score >= AT_RISK_MIN:
        return "at_risk"
    return "not_ready"


def meets_floor(stakeholder: Stakeholder, days_to_go_live: int) -> bool:
    """The floor's condition: high impact, no awareness or desire, go-live near or past."""
    return (
        stakeholder.impact >= FLOOR_MIN_IMPACT
        and adkar_barrier(stakeholder.adkar) in FLOOR_BARRIERS
        and days_to_go_live <= FLOOR_DAYS_TO_GO_LIVE
    )


@dataclass(frozen=True)
class RiskTerms:
    """The terms of one stakeholder's risk, unrounded, as the formula uses them."""

    consequence: float
    engagement: float
    resistance: float
    signals: float
    barrier: float
    not_involved: int

    @property
    def likelihood(self) -> float:
        return (
            LIKELIHOOD_ENGAGEMENT_WEIGHT * self.engagement
            + LIKELIHOOD_RESISTANCE_WEIGHT * self.resistance
            + LIKELIHOOD_SIGNALS_WEIGHT * self.signals
            + LIKELIHOOD_BARRIER_WEIGHT * self.barrier
            + LIKELIHOOD_NOT_INVOLVED_WEIGHT * self.not_involved
        )

    def to_dict(self) -> dict[str, float | int]:
        """The terms for display, rounded to 3 decimals: enough to recompute the risk
        by hand, without binary noise such as 0.30000000000000004."""
        return {
            "consequence": round(self.consequence, TERM_DECIMALS),
            "engagement": round(self.engagement, TERM_DECIMALS),
            "resistance": round(self.resistance, TERM_DECIMALS),
            "signals": round(self.signals, TERM_DECIMALS),
            "barrier": round(self.barrier, TERM_DECIMALS),
            "not_involved": self.not_involved,
            "likelihood": round(self.likelihood, TERM_DECIMALS),
        }


@dataclass(frozen=True)
class Risk:
    """A stakeholder's risk score with the terms that produced it."""

    score: int
    band: str
    floored: bool
    terms: RiskTerms


def risk_terms(stakeholder: Stakeholder, resistance_points: Iterable[ResistancePoint]) -> RiskTerms:
    return RiskTerms(
        consequence=consequence_term(stakeholder),
        engagement=engagement_term(stakeholder),
        resistance=resistance_term(resistance_points),
        signals=signals_term(stakeholder),
        barrier=barrier_term(stakeholder.adkar),
        not_involved=not_involved_term(stakeholder),
    )


def stakeholder_risk(
    stakeholder: Stakeholder,
    resistance_points: Iterable[ResistancePoint],
    days_to_go_live: int,
) -> Risk:
    """round(100 x likelihood x consequence), lifted to the floor when it applies.

    `resistance_points` are this stakeholder's points only; `days_to_go_live`
    is negative once live (see `weeks.days_to_go_live`).
    """
    terms = risk_terms(stakeholder, resistance_points)
    weighted = round_half_up(100 * terms.likelihood * terms.consequence)
    floored = meets_floor(stakeholder, days_to_go_live) and weighted < FLOOR_RISK
    score = FLOOR_RISK if floored else weighted
    return Risk(score=score, band=risk_band(score), floored=floored, terms=terms)


@dataclass(frozen=True)
class Readiness:
    """Engagement readiness 0-100; `uncapped_score` is before the findings' caps."""

    score: int
    band: str
    uncapped_score: int

    def to_dict(self) -> dict[str, object]:
        return {"score": self.score, "band": self.band, "uncapped_score": self.uncapped_score}


def engagement_readiness(
    weighted_risks: Sequence[tuple[float, int]], finding_severities: Iterable[str]
) -> Readiness:
    """100 minus the consequence-weighted mean risk, capped by the worst finding.

    `weighted_risks` holds (consequence, risk) per stakeholder. Without
    stakeholders there is nothing to be ready with, so the score is 0.
    """
    total_weight = sum(consequence for consequence, _ in weighted_risks)
    if total_weight > 0:
        mean_risk = sum(consequence * risk for consequence, risk in weighted_risks) / total_weight
        uncapped = round_half_up(100 - mean_risk)
    else:
        uncapped = 0
    severities = set(finding_severities)
    score = uncapped
    if "critical" in severities:
        score = min(score, CRITICAL_READINESS_CAP)
    elif "warning" in severities:
        score = min(score, WARNING_READINESS_CAP)
    return Readiness(score=score, band=readiness_band(score), uncapped_score=uncapped)
