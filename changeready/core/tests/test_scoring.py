"""The scoring terms of the domain reference, section 4, each against hand-computed values."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changeready.core.model import Adkar, ResistancePoint
from changeready.core.scoring import (
    LIKELIHOOD_BARRIER_WEIGHT,
    LIKELIHOOD_ENGAGEMENT_WEIGHT,
    LIKELIHOOD_NOT_INVOLVED_WEIGHT,
    LIKELIHOOD_RESISTANCE_WEIGHT,
    LIKELIHOOD_SIGNALS_WEIGHT,
    adkar_barrier,
    barrier_term,
    consequence_term,
    engagement_readiness,
    engagement_term,
    has_adkar_scores,
    has_mitigation_plan,
    is_resistor,
    normalise,
    not_involved_term,
    people_of,
    quadrant,
    ramp_factor,
    readiness_band,
    resistance_term,
    risk_band,
    round_half_up,
    signals_term,
    stakeholder_risk,
)
from changeready.core.tests.builders import point, stakeholder


@pytest.mark.parametrize(
    ("level", "expected"), [(1, 0.0), (2, 0.25), (3, 0.5), (4, 0.75), (5, 1.0)]
)
def test_normalise(level, expected):
    assert normalise(level) == expected


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (3, 3, "manage_closely"),
        (5, 5, "manage_closely"),
        (3, 2, "keep_satisfied"),
        (5, 1, "keep_satisfied"),
        (2, 3, "keep_informed"),
        (1, 5, "keep_informed"),
        (2, 2, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_quadrant_splits_each_axis_at_3(influence, interest, expected):
    assert quadrant(stakeholder("s", influence=influence, interest=interest)) == expected


@pytest.mark.parametrize(
    ("scores", "barrier", "known", "term"),
    [
        ({}, None, False, 0.4),  # nothing scored: unknown
        (
            dict.fromkeys(("awareness", "desire", "knowledge", "ability", "reinforcement"), 4),
            None,
            True,
            0.0,
        ),
        ({"awareness": 5, "desire": 4}, None, True, 0.0),  # partly scored, all fine: none
        ({"awareness": 3}, "awareness", True, 1.0),
        ({"awareness": 4, "desire": 3, "knowledge": 1}, "desire", True, 0.9),  # the first one
        ({"desire": 2}, "desire", True, 0.9),  # absent awareness is skipped
        ({"awareness": 5, "knowledge": 3.0}, "knowledge", True, 0.6),
        ({"ability": 1}, "ability", True, 0.5),
        ({"reinforcement": 2}, "reinforcement", True, 0.3),
        ({"awareness": 3.5, "desire": 3.01}, None, True, 0.0),  # survey means above 3
        ({"awareness": 2.99}, "awareness", True, 1.0),
    ],
)
def test_adkar_barrier(scores, barrier, known, term):
    adkar = Adkar(**scores)
    assert adkar_barrier(adkar) == barrier
    assert has_adkar_scores(adkar) is known
    assert barrier_term(adkar) == term


@pytest.mark.parametrize(
    ("current", "desired", "expected"),
    [
        ("resistant", "supportive", 1.0),
        ("resistant", "neutral", 1.0),
        ("unaware", "neutral", 0.6),
        ("unaware", "resistant", 0.6),
        ("neutral", "supportive", 0.5),
        ("supportive", "leading", 0.2),
        ("leading", "leading", 0.0),
        ("supportive", "supportive", 0.0),  # at desired
        ("supportive", "neutral", 0.0),  # beyond desired
        ("resistant", "unaware", 0.0),  # beyond, in the matrix order
        ("neutral", "resistant", 0.0),
    ],
)
def test_engagement_gap(current, desired, expected):
    s = stakeholder("s", engagement=current, desired_engagement=desired)
    assert engagement_term(s) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [("open", 1.0), ("planned", 0.7), ("in_progress", 0.5), ("accepted", 0.8), ("resolved", 0.1)],
)
def test_resistance_of_a_severity_5_point_by_mitigation_status(status, expected):
    assert resistance_term([point("p", "s", 5, status=status)]) == pytest.approx(expected)


def test_resistance_is_the_worst_point_and_zero_without_points():
    assert resistance_term([]) == 0.0
    points = [
        point("a", "s", 5, status="resolved"),  # 1.0 * 0.1 = 0.1
        point("b", "s", 3),  # 0.5 * 1.0 = 0.5
        point("c", "s", 4, status="planned"),  # 0.75 * 0.7 = 0.525
        point("d", "s", 1),  # 0
    ]
    assert resistance_term(points) == pytest.approx(0.525)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, 0.0),
        ({"authority_decreases": True}, 0.5),
        ({"job_gets_harder": True}, 0.5),
        ({"opposed_purchase": True}, 0.5),
        ({"job_gets_harder": True, "opposed_purchase": True}, 1.0),
        ({"authority_decreases": True, "job_gets_harder": True, "opposed_purchase": True}, 1.0),
    ],
)
def test_signals_half_each_capped_at_1(flags, expected):
    assert signals_term(stakeholder("s", **flags)) == expected


@pytest.mark.parametrize(
    ("role", "involvement", "expected"),
    [
        ("daily_user", set(), 1),
        ("people_manager", set(), 1),
        ("product_admin", set(), 1),
        ("daily_user", {"training"}, 0),
        ("economic_buyer", set(), 0),
        ("executive_sponsor", set(), 0),
        ("it_security", set(), 0),
        ("downstream", set(), 0),
    ],
)
def test_not_in_the_room(role, involvement, expected):
    assert (
        not_involved_term(stakeholder("s", role=role, involvement=frozenset(involvement)))
        == expected
    )


@pytest.mark.parametrize(
    ("influence", "impact", "expected"),
    [
        (1, 1, 0.1),  # 0 floored at 0.1
        (1, 2, 0.1),  # 0.4 * 0.25 = 0.1
        (2, 1, 0.15),  # 0.6 * 0.25
        (1, 3, 0.2),  # 0.4 * 0.5
        (4, 5, 0.85),  # 0.45 + 0.4
        (5, 5, 1.0),
    ],
)
def test_consequence(influence, impact, expected):
    assert consequence_term(stakeholder("s", influence=influence, impact=impact)) == pytest.approx(
        expected
    )


def test_likelihood_weights_sum_to_one():
    weights = (
        LIKELIHOOD_ENGAGEMENT_WEIGHT,
        LIKELIHOOD_RESISTANCE_WEIGHT,
        LIKELIHOOD_SIGNALS_WEIGHT,
        LIKELIHOOD_BARRIER_WEIGHT,
        LIKELIHOOD_NOT_INVOLVED_WEIGHT,
    )
    assert sum(weights) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("fields", "points", "reason"),
    [
        ({"engagement": "resistant"}, [], "resistant"),
        ({"opposed_purchase": True}, [], "opposed"),
        ({"job_gets_harder": True}, [], "harder job"),
        ({"authority_decreases": True}, [], "authority"),
        ({}, [point("p", "s", 3)], "open point of severity 3"),
        ({}, [point("p", "s", 5, status="in_progress")], "point still being worked on"),
    ],
)
def test_resistor(fields, points, reason):
    assert is_resistor(stakeholder("s", **fields), points), reason


@pytest.mark.parametrize(
    "points",
    [
        [],
        [point("p", "s", 2)],
        [point("p", "s", 5, status="resolved")],
        [point("p", "s", 5, status="accepted")],
    ],
)
def test_not_a_resistor(points):
    assert not is_resistor(stakeholder("s", engagement="unaware"), points)


@pytest.mark.parametrize("engagement", ["supportive", "leading"])
def test_a_won_over_stakeholder_is_never_a_resistor(engagement):
    won_over = stakeholder(
        "s",
        engagement=engagement,
        opposed_purchase=True,
        job_gets_harder=True,
        authority_decreases=True,
    )
    assert not is_resistor(won_over, [point("p", "s", 5)])


@pytest.mark.parametrize("engagement", ["unaware", "resistant", "neutral"])
def test_a_stakeholder_not_yet_won_over_with_a_signal_is_a_resistor(engagement):
    assert is_resistor(stakeholder("s", engagement=engagement, opposed_purchase=True), [])


@pytest.mark.parametrize(
    ("strategy", "owner", "status", "expected"),
    [
        ("support", "Ana Lima", "planned", True),
        ("support", "Ana Lima", "in_progress", True),
        ("support", "Ana Lima", "resolved", True),
        ("support", "Ana Lima", "accepted", True),
        ("support", "Ana Lima", "open", False),  # an intention, not a plan
        (None, "Ana Lima", "planned", False),
        ("support", "", "planned", False),
        ("support", "   ", "in_progress", False),
    ],
)
def test_has_mitigation_plan(strategy, owner, status, expected):
    resistance = point("p", "s", strategy=strategy, owner=owner, status=status)
    assert has_mitigation_plan(resistance) is expected


WARD = stakeholder("ward", kind="group", headcount=860)
LANDSCAPE = {
    s.id: s
    for s in (
        WARD,
        stakeholder("uncounted", kind="group"),
        stakeholder("empty", kind="group", headcount=0),
        stakeholder("cfo", kind="person", role="economic_buyer"),
        stakeholder("sister", kind="person", role="people_manager", group_id="ward"),
        stakeholder("orphan", kind="person", group_id="gone"),
        stakeholder("odd", kind="person", group_id="cfo"),
    )
}


@pytest.mark.parametrize(
    ("id", "people"),
    [
        ("ward", 860),
        ("uncounted", 10),  # a group without headcount
        ("empty", 0),  # 0 is allowed and weighs nothing
        ("cfo", 1),  # a person on their own
        ("sister", 0),  # counted in the ward's headcount, whatever their role
        ("orphan", 1),  # names no group of the landscape
        ("odd", 1),  # names a person, not a group
    ],
)
def test_people_of(id, people):
    assert people_of(LANDSCAPE[id], LANDSCAPE) == people


def test_a_persons_headcount_is_ignored():
    person = stakeholder("p", kind="person", headcount=50)
    assert people_of(person, {"p": person}) == 1


@pytest.mark.parametrize(
    ("days", "factor"),
    [
        (200, Fraction(0)),
        (57, Fraction(0)),
        (56, Fraction(0)),  # eight weeks out: the ramp starts
        (55, Fraction(1, 42)),
        (35, Fraction(1, 2)),
        (15, Fraction(41, 42)),
        (14, Fraction(1)),  # two weeks out: full height
        (0, Fraction(1)),
        (-30, Fraction(1)),  # after go-live
    ],
)
def test_ramp_factor_at_its_boundaries(days, factor):
    assert ramp_factor(days) == factor


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-1000, max_value=1000))
def test_ramp_factor_rises_by_at_most_one_42nd_a_day(days):
    today, tomorrow = ramp_factor(days), ramp_factor(days - 1)
    assert 0 <= today <= tomorrow <= 1
    assert tomorrow - today <= Fraction(1, 42)


def test_risk_of_a_resistant_planner_by_hand():
    # Influence 4, impact 5: C = 0.6*0.75 + 0.4*1 = 0.85.
    # Resistant, desired neutral: E = 1.0. One open point of severity 5: R = 1.0.
    # Opposed the purchase and loses authority: S = 1.0. No ADKAR: B = 0.4.
    # A people manager never involved: I = 1.
    # L = 0.30 + 0.25 + 0.15 + 0.08 + 0.10 = 0.88; risk = round(100*0.88*0.85) = round(74.8) = 75.
    planner = stakeholder(
        "tom",
        kind="person",
        role="people_manager",
        influence=4,
        interest=5,
        impact=5,
        engagement="resistant",
        desired_engagement="neutral",
        opposed_purchase=True,
        authority_decreases=True,
    )
    risk = stakeholder_risk(planner, [point("r2", "tom", 5)], days_to_go_live=42)
    assert risk.terms.likelihood == pytest.approx(0.88)
    assert (risk.score, risk.band, risk.floored) == (75, "high", False)


def test_risk_without_any_likelihood_is_zero():
    s = stakeholder("s", role="downstream", engagement="supportive", adkar=Adkar(awareness=5))
    assert stakeholder_risk(s, [], 0).score == 0


def test_risk_at_the_maximum_is_100():
    s = stakeholder(
        "s",
        influence=5,
        impact=5,
        engagement="resistant",
        opposed_purchase=True,
        job_gets_harder=True,
        adkar=Adkar(awareness=1),
    )
    assert stakeholder_risk(s, [point("p", "s", 5)], 100).score == 100


# The floor. A stakeholder of low consequence lacking desire:
# C = 0.6*0.25 + 0.4*0.75 = 0.45 (influence 2, impact 4), L = 0.2*0.9 = 0.18
# (supportive, nothing else), risk = round(8.1) = 8 without the floor.
def floor_candidate(**fields):
    defaults = {
        "role": "downstream",
        "influence": 2,
        "impact": 4,
        "engagement": "supportive",
        "adkar": Adkar(awareness=4, desire=3),
    }
    return stakeholder("s", **{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "days", "score", "floored"),
    [
        ({}, 29, 8, False),
        ({}, 28, 40, True),
        ({}, 0, 40, True),
        ({}, -60, 40, True),  # past go-live
        ({"adkar": Adkar(awareness=1)}, 28, 40, True),
        ({"impact": 3}, 28, 6, False),  # C = 0.35, L = 0.18: 6.3
        ({"adkar": Adkar(awareness=4, desire=4, knowledge=1)}, 28, 5, False),  # L = 0.12: 5.4
        ({"adkar": Adkar()}, 28, 4, False),  # unknown is not the floor's barrier: L = 0.08: 3.6
    ],
)
def test_floor(fields, days, score, floored):
    risk = stakeholder_risk(floor_candidate(**fields), [], days)
    assert (risk.score, risk.floored) == (score, floored)


def test_floor_does_not_lower_a_risk_above_it():
    # Influence 5, impact 5, resistant towards supportive, lacking desire:
    # L = 0.3 + 0.18 = 0.48, C = 1.0, risk 48: above the floor, so not floored.
    s = floor_candidate(influence=5, impact=5, engagement="resistant")
    risk = stakeholder_risk(s, [], 10)
    assert (risk.score, risk.floored) == (48, False)


@pytest.mark.parametrize(
    ("risk", "band"),
    [(0, "low"), (19, "low"), (20, "medium"), (39, "medium"), (40, "high"), (100, "high")],
)
def test_risk_bands(risk, band):
    assert risk_band(risk) == band


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "not_ready"),
        (49, "not_ready"),
        (50, "at_risk"),
        (79, "at_risk"),
        (80, "ready"),
        (100, "ready"),
    ],
)
def test_readiness_bands(score, band):
    assert readiness_band(score) == band


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (22.5, 23),  # round() would give 22
        (21.5, 22),
        (0.5, 1),  # round() would give 0
        (22.49, 22),
        (22.51, 23),
        (22.499999999999996, 23),  # binary noise under an exact half
        (0.0, 0),
        (100.0, 100),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_risk_rounds_an_exact_half_up():
    # Influence 3, impact 3: C = 0.5. Unaware towards leading: E = 0.6.
    # Two signals: S = 1. No ADKAR: B = 0.4. Downstream: I = 0.
    # L = 0.18 + 0.15 + 0.08 = 0.41; 100 * 0.41 * 0.5 = 20.5 -> 21 (round() gives 20).
    s = stakeholder(
        "s",
        role="downstream",
        engagement="unaware",
        desired_engagement="leading",
        job_gets_harder=True,
        authority_decreases=True,
    )
    assert stakeholder_risk(s, [], 100).score == 21


def test_readiness_is_100_minus_the_consequence_weighted_mean_risk():
    # (0.5*10 + 1.0*40) / 1.5 = 30 -> 70.
    readiness = engagement_readiness([(0.5, 10), (1.0, 40)], [])
    assert (readiness.score, readiness.band, readiness.uncapped_score) == (70, "at_risk", 70)


def test_readiness_rounds_half_up():
    # Mean risk (21 + 22) / 2 = 21.5 -> 78.5 -> 79 (round() gives 78).
    assert engagement_readiness([(0.5, 21), (0.5, 22)], []).score == 79


def test_readiness_without_stakeholders_is_zero():
    assert engagement_readiness([], []) == engagement_readiness([], ["info"])
    assert engagement_readiness([], []).score == 0


@pytest.mark.parametrize(
    ("risks", "severities", "score", "band"),
    [
        ([(1.0, 5)], [], 95, "ready"),
        ([(1.0, 5)], ["info"], 95, "ready"),
        ([(1.0, 5)], ["warning", "info"], 79, "at_risk"),
        ([(1.0, 5)], ["critical"], 49, "not_ready"),
        ([(1.0, 5)], ["warning", "critical"], 49, "not_ready"),
        ([(1.0, 70)], ["warning"], 30, "not_ready"),  # a cap never raises
        ([(1.0, 60)], ["critical"], 40, "not_ready"),
    ],
)
def test_readiness_is_capped_by_findings(risks, severities, score, band):
    readiness = engagement_readiness(risks, severities)
    assert (readiness.score, readiness.band) == (score, band)
    assert readiness.uncapped_score == 100 - risks[0][1]


def test_resistance_point_defaults_to_open():
    assert ResistancePoint("p", "s", "habit", 4).status == "open"
