"""Stakeholder risk and engagement readiness (docs/domain.md, "Scoring").

Every number the user sees is built from named terms so the product can show
its working: a risk is never a black box. Each weight below says where it
comes from or why it has its value.

Arithmetic is exact: every term is a `Fraction` (a survey mean or an adoption
percentage enters as the exact value of its float), and only the risk and the
readiness score are rounded, half up (22.5 gives 23, as a user recomputing a
score by hand expects, not Python's round-half-to-even). Terms are shown to 3
decimals.

Decisions where the reference leaves room:

- ADKAR barrier. Elements are read in the order awareness, desire, knowledge,
  ability, reinforcement and absent elements are skipped: the barrier is the
  first *scored* element below 3.5 (a whole-number estimate of 3 or lower, a
  survey mean such as 3.4). With no element scored the barrier is unknown
  (term 0.4: not knowing is a risk, but a smaller one than a known awareness
  or desire gap). A partly filled ADKAR counts as evidence.
- An "unresolved" resistance point (for the resistor definition) is one that
  is neither `resolved` nor `accepted`. An accepted point still counts in the
  risk's resistance term (factor 0.8) but no longer makes its stakeholder a
  resistor.
- Readiness answers two questions and the worse answer wins; see
  `engagement_readiness`.
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
    AdoptionTarget,
    ResistancePoint,
    Stakeholder,
)

Number = Fraction | int | float

# Inputs 1-5 are normalised to 0-1: n(x) = (x - 1) / 4.
LEVEL_MIN = 1
LEVEL_MAX = 5

# Consequence: how much damage this stakeholder can do. Influence (Mendelow's
# power axis) weighs more than impact because a powerful blocker stops a
# rollout for everyone; the floor keeps a low-power, low-impact stakeholder's
# likelihood visible in their risk.
CONSEQUENCE_INFLUENCE_WEIGHT = Fraction("0.6")
CONSEQUENCE_IMPACT_WEIGHT = Fraction("0.4")
CONSEQUENCE_FLOOR = Fraction("0.1")

# Likelihood weights (sum 1): the engagement gap and open resistance are what
# the team observed, so they weigh most; the ADKAR barrier next (Prosci: a
# missing awareness or desire predicts failure); recorded signals and "not in
# the room" are indirect evidence.
LIKELIHOOD_ENGAGEMENT_WEIGHT = Fraction("0.30")
LIKELIHOOD_RESISTANCE_WEIGHT = Fraction("0.25")
LIKELIHOOD_SIGNALS_WEIGHT = Fraction("0.15")
LIKELIHOOD_BARRIER_WEIGHT = Fraction("0.20")
LIKELIHOOD_NOT_INVOLVED_WEIGHT = Fraction("0.10")

# E, the engagement gap by current level (PMBOK engagement matrix). Used only
# when the current level is below the desired one in the matrix order;
# `unaware` is milder than `resistant` because nobody has said no yet.
ENGAGEMENT_GAP = {
    "resistant": Fraction("1.0"),
    "unaware": Fraction("0.6"),
    "neutral": Fraction("0.5"),
    "supportive": Fraction("0.2"),
    "leading": Fraction(0),
}

# R, how much of a resistance point's severity is still live, by mitigation
# status. `accepted` stays high because accepting a risk does not shrink it.
MITIGATION_FACTOR = {
    "open": Fraction("1.0"),
    "planned": Fraction("0.7"),
    "in_progress": Fraction("0.5"),
    "accepted": Fraction("0.8"),
    "resolved": Fraction("0.1"),
}
# Statuses after which a resistance point no longer needs work.
CLOSED_MITIGATION_STATUSES = frozenset({"resolved", "accepted"})
# A mitigation at this status has no plan yet, whatever else is filled in.
NO_PLAN_STATUS = "open"
# A resistance point this severe, still unresolved, makes its stakeholder a
# resistor; in any status, it shows that somebody looked for resistance.
RESISTOR_MIN_SEVERITY = 3
# Engagement levels of a stakeholder who was won over: never a resistor, their
# signals are history, shown but not scored (docs/domain.md, "Resistors").
WON_OVER_ENGAGEMENT = frozenset({"supportive", "leading"})

# S, resistor signals: each of `authority_decreases`, `job_gets_harder`,
# `opposed_purchase` adds this much, capped at 1.
SIGNAL_WEIGHT = Fraction("0.5")
SIGNALS_CAP = Fraction(1)

# B, the ADKAR barrier term: earlier elements weigh more because later ones
# cannot be built without them (Prosci).
BARRIER_WEIGHT = {
    "awareness": Fraction("1.0"),
    "desire": Fraction("0.9"),
    "knowledge": Fraction("0.6"),
    "ability": Fraction("0.5"),
    "reinforcement": Fraction("0.3"),
}
BARRIER_NONE_WEIGHT = Fraction(0)
BARRIER_UNKNOWN_WEIGHT = Fraction("0.4")
# An element scoring below this is a barrier: "3 or lower" for whole-number
# estimates, and survey means (one decimal) split halfway to 4.
BARRIER_BELOW = Fraction("3.5")

# I, not in the room: these roles must have taken part in the implementation.
# They are also the adopters of the readiness question "will the people adopt
# it?": the people whose daily work is the product.
HANDS_ON_ROLES = frozenset({"daily_user", "people_manager", "product_admin"})
ADOPTER_ROLES = HANDS_ON_ROLES

# Mendelow's grid splits each 1-5 axis at 3.
QUADRANT_THRESHOLD = 3

# The calendar ramp (docs/domain.md, "The calendar ramp"): people whose work
# changes a lot and who neither know nor want the change cannot adopt it in
# time, whatever the weighted sum says, and the nearer go-live the surer that
# is. Their risk is at least RAMP_RISK x the ramp factor, which starts
# RAMP_START_DAYS before go-live and reaches 1 over RAMP_LENGTH_DAYS (two weeks
# out): 40/42 of a point a day, so the risk never jumps overnight.
RAMP_RISK = 40
RAMP_MIN_IMPACT = 4
RAMP_BARRIERS = frozenset({"awareness", "desire"})
RAMP_START_DAYS = 56
RAMP_LENGTH_DAYS = 42

# Risk bands: high >= 40, medium 20-39, low < 20.
HIGH_RISK_MIN = 40
MEDIUM_RISK_MIN = 20

# Readiness bands of the score.
READY_MIN = 80
AT_RISK_MIN = 50
# "Will the people adopt it?": a ramped adopter's adoption likelihood is at
# least this times the ramp factor. At full height it reads 0.6, more likely
# than not to fail: an engagement whose adopters all lack awareness or desire
# two weeks out scores 40, not ready, however well the rest is mapped.
ADOPTION_RAMP_LIKELIHOOD = Fraction("0.6")
# "Can anyone block it?": stakeholders of this influence or more can stop the
# rollout on their own. Their highest risk, discounted because a blocker is a
# threat to adoption rather than a measure of it, bounds readiness: one
# resistant executive of risk 75 keeps readiness at 40 or below.
BLOCKER_MIN_INFLUENCE = 4
BLOCKING_RISK_WEIGHT = Fraction("0.8")

# A group whose headcount nobody recorded counts as this many people: enough to
# weigh more than one person, few enough not to swamp groups that were counted.
DEFAULT_GROUP_PEOPLE = 10

# Decimals of the terms shown to the user.
TERM_DECIMALS = 3


def round_half_up(value: Number) -> int:
    """Round to the nearest integer, halves up (0.5 gives 1, 22.5 gives 23).

    Exact for fractions and integers; a float is taken at its exact value.
    """
    return math.floor(Fraction(value) + Fraction(1, 2))


def shown(value: Number) -> float:
    """A term as the user sees it: 3 decimals."""
    return round(float(value), TERM_DECIMALS)


def normalise(level: Number) -> Fraction:
    """n(x) = (x - 1) / 4: a 1-5 level on 0-1."""
    return (Fraction(level) - LEVEL_MIN) / (LEVEL_MAX - LEVEL_MIN)


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
    """The first scored ADKAR element below 3.5; None when there is none.

    None covers both "every scored element is 3.5 or more" and "nothing
    scored"; `has_adkar_scores` tells them apart.
    """
    for element in ADKAR_ELEMENTS:
        score = getattr(adkar, element)
        if score is not None and Fraction(score) < BARRIER_BELOW:
            return element
    return None


def is_open_resistance(point: ResistancePoint) -> bool:
    """An unresolved point: the team still has to work on it (neither resolved nor accepted)."""
    return point.status not in CLOSED_MITIGATION_STATUSES


def resistor_reasons(
    stakeholder: Stakeholder, resistance_points: Iterable[ResistancePoint]
) -> tuple[str, ...]:
    """The resistor signals a stakeholder shows, in plain words, won over or not.

    A stakeholder with signals is a resistor only while not yet supportive
    (`is_resistor`); a won-over stakeholder's signals are history.
    """
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


def was_identified_as_resistor(
    stakeholder: Stakeholder, resistance_points: Iterable[ResistancePoint]
) -> bool:
    """Whether the team recorded any resistor signal for them, won over or not.

    A resistance point of severity 3 or more counts in any status: having found
    and converted a resistor counts as having identified them.
    """
    return (
        stakeholder.engagement == "resistant"
        or stakeholder.opposed_purchase
        or stakeholder.job_gets_harder
        or stakeholder.authority_decreases
        or any(point.severity >= RESISTOR_MIN_SEVERITY for point in resistance_points)
    )


def has_mitigation_plan(point: ResistancePoint) -> bool:
    """A strategy, a named owner and a status past `open` (docs/domain.md).

    A strategy and an owner on a point still marked "open (no plan yet)" are
    an intention, not a plan.
    """
    return bool(point.strategy) and bool(point.owner.strip()) and point.status != NO_PLAN_STATUS


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


def ramp_factor(days_to_go_live: int) -> Fraction:
    """min(1, max(0, (56 - d) / 42)): 0 eight weeks out, 1 from two weeks out on."""
    return min(
        Fraction(1), max(Fraction(0), Fraction(RAMP_START_DAYS - days_to_go_live, RAMP_LENGTH_DAYS))
    )


def ramp_applies(stakeholder: Stakeholder) -> bool:
    """The ramp's condition apart from the date: high impact, no awareness or desire."""
    return (
        stakeholder.impact >= RAMP_MIN_IMPACT and adkar_barrier(stakeholder.adkar) in RAMP_BARRIERS
    )


def ramp_risk(stakeholder: Stakeholder, days_to_go_live: int) -> int:
    """The least risk the ramp allows as of that day; 0 when it does not apply."""
    if not ramp_applies(stakeholder):
        return 0
    return round_half_up(RAMP_RISK * ramp_factor(days_to_go_live))


def consequence_term(stakeholder: Stakeholder) -> Fraction:
    """0.6 n(influence) + 0.4 n(impact), floored at 0.1."""
    weighted = CONSEQUENCE_INFLUENCE_WEIGHT * normalise(
        stakeholder.influence
    ) + CONSEQUENCE_IMPACT_WEIGHT * normalise(stakeholder.impact)
    return max(CONSEQUENCE_FLOOR, weighted)


def engagement_term(stakeholder: Stakeholder) -> Fraction:
    """E: the gap between current and desired engagement, 0 when there is none."""
    current = ENGAGEMENT_LEVELS.index(stakeholder.engagement)
    desired = ENGAGEMENT_LEVELS.index(stakeholder.desired_engagement)
    if current >= desired:
        return Fraction(0)
    return ENGAGEMENT_GAP[stakeholder.engagement]


def resistance_term(resistance_points: Iterable[ResistancePoint]) -> Fraction:
    """R: the worst resistance point, discounted by how far its mitigation got."""
    return max(
        (
            normalise(point.severity) * MITIGATION_FACTOR[point.status]
            for point in resistance_points
        ),
        default=Fraction(0),
    )


def signals_term(stakeholder: Stakeholder) -> Fraction:
    """S: resistor signals, 0.5 each, capped at 1; 0 once won over (history, not risk)."""
    if stakeholder.engagement in WON_OVER_ENGAGEMENT:
        return Fraction(0)
    count = sum(
        (stakeholder.authority_decreases, stakeholder.job_gets_harder, stakeholder.opposed_purchase)
    )
    return min(SIGNALS_CAP, SIGNAL_WEIGHT * count)


def barrier_term(adkar: Adkar) -> Fraction:
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


@dataclass(frozen=True)
class RiskTerms:
    """The terms of one stakeholder's risk, exact, as the formula uses them."""

    consequence: Fraction
    engagement: Fraction
    resistance: Fraction
    signals: Fraction
    barrier: Fraction
    not_involved: int

    @property
    def likelihood(self) -> Fraction:
        return (
            LIKELIHOOD_ENGAGEMENT_WEIGHT * self.engagement
            + LIKELIHOOD_RESISTANCE_WEIGHT * self.resistance
            + LIKELIHOOD_SIGNALS_WEIGHT * self.signals
            + LIKELIHOOD_BARRIER_WEIGHT * self.barrier
            + LIKELIHOOD_NOT_INVOLVED_WEIGHT * self.not_involved
        )

    def to_dict(self) -> dict[str, float | int]:
        """The terms for display, to 3 decimals: enough to recompute the risk by hand."""
        return {
            "consequence": shown(self.consequence),
            "engagement": shown(self.engagement),
            "resistance": shown(self.resistance),
            "signals": shown(self.signals),
            "barrier": shown(self.barrier),
            "not_involved": self.not_involved,
            "likelihood": shown(self.likelihood),
        }


@dataclass(frozen=True)
class Risk:
    """A stakeholder's risk score with the terms that produced it.

    `ramped` says the calendar ramp raised the score above the weighted one.
    """

    score: int
    band: str
    ramped: bool
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
    """round(100 x likelihood x consequence), raised to the calendar ramp where it applies.

    `resistance_points` are this stakeholder's points only; `days_to_go_live`
    is negative once live (see `weeks.days_to_go_live`).
    """
    terms = risk_terms(stakeholder, resistance_points)
    weighted = round_half_up(100 * terms.likelihood * terms.consequence)
    least = ramp_risk(stakeholder, days_to_go_live)
    score = max(weighted, least)
    return Risk(score=score, band=risk_band(score), ramped=least > weighted, terms=terms)


def latest_measured_adoption(
    targets: Iterable[AdoptionTarget], current_week: int
) -> AdoptionTarget | None:
    """The latest week up to the current one with an actual figure and a target above 0."""
    measured = [
        target
        for target in targets
        if target.week <= current_week and target.actual_pct is not None and target.target_pct > 0
    ]
    return max(measured, key=lambda target: target.week, default=None)


def adoption_likelihood(
    stakeholder: Stakeholder,
    risk: Risk,
    days_to_go_live: int,
    measured: AdoptionTarget | None,
) -> Fraction:
    """How likely this adopter is not to adopt, 0-1 (docs/domain.md, "Readiness").

    A group's measured adoption (`measured`, from `latest_measured_adoption`;
    None for a person) replaces the estimate: max(0, 1 - actual / target).
    Otherwise the risk's likelihood, raised to at least 0.6 x the ramp factor
    where the calendar ramp applies.
    """
    if measured is not None and measured.actual_pct is not None:
        return max(Fraction(0), 1 - Fraction(measured.actual_pct) / Fraction(measured.target_pct))
    likelihood = risk.terms.likelihood
    if ramp_applies(stakeholder):
        likelihood = max(likelihood, ADOPTION_RAMP_LIKELIHOOD * ramp_factor(days_to_go_live))
    return likelihood


def adoption_risk(adopters: Iterable[tuple[int, Fraction]]) -> Fraction:
    """A: 100 x the adopters' mean adoption likelihood weighted by people x impact.

    `adopters` holds (weight, adoption likelihood) per adopter; 0 when the
    weights sum to 0 (nobody who must adopt is counted).
    """
    pairs = list(adopters)
    total = sum(weight for weight, _ in pairs)
    if total == 0:
        return Fraction(0)
    return 100 * sum(weight * likelihood for weight, likelihood in pairs) / Fraction(total)


def blocking_risk(blocker_risks: Iterable[int]) -> Fraction:
    """K: 0.8 x the highest risk among stakeholders of influence 4 or more; 0 without."""
    return BLOCKING_RISK_WEIGHT * max(blocker_risks, default=0)


@dataclass(frozen=True)
class Readiness:
    """Engagement readiness 0-100 and its band.

    `adoption_risk` (A) and `blocking_risk` (K) are the answers to the two
    questions; the score is 100 minus the worse. `capped_by` lists the
    finding codes that lowered the band below the score's own band.
    """

    score: int
    band: str
    capped_by: tuple[str, ...]
    adoption_risk: Fraction
    blocking_risk: Fraction

    @property
    def score_band(self) -> str:
        """The band of the score alone, before the findings."""
        return readiness_band(self.score)

    def to_dict(self) -> dict[str, object]:
        return {
            "score": self.score,
            "band": self.band,
            "capped_by": list(self.capped_by),
            "adoption_risk": shown(self.adoption_risk),
            "blocking_risk": shown(self.blocking_risk),
        }


# How far each finding severity lowers the band: a critical makes it
# `not_ready`, a warning at most `at_risk`; an info lowers nothing.
BAND_ORDER = ("not_ready", "at_risk", "ready")
SEVERITY_BAND_CAP = {"critical": "not_ready", "warning": "at_risk"}


def engagement_readiness(
    adoption: Fraction,
    blocking: Fraction,
    findings: Sequence[tuple[str, str]],
    has_stakeholders: bool = True,
) -> Readiness:
    """round(100 - max(A, K)), its band lowered by the findings (docs/domain.md).

    `findings` holds (code, severity) in display order. Without stakeholders
    there is nothing to be ready with, so the score is 0. The score is never
    capped: two engagements that both have a blocker still read differently.
    """
    score = round_half_up(100 - max(adoption, blocking)) if has_stakeholders else 0
    band = readiness_band(score)
    capped_by: tuple[str, ...] = ()
    for severity in ("critical", "warning"):
        cap = SEVERITY_BAND_CAP[severity]
        codes = tuple(dict.fromkeys(code for code, sev in findings if sev == severity))
        if codes and BAND_ORDER.index(cap) < BAND_ORDER.index(band):
            band = cap
            capped_by = codes
            break
    return Readiness(
        score=score,
        band=band,
        capped_by=capped_by,
        adoption_risk=adoption,
        blocking_risk=blocking,
    )
