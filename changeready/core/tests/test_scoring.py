"""The scoring terms of the domain reference, section 4, each against hand-computed values."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changeready.core.model import Adkar, AdoptionTarget
from changeready.core.scoring import (
    LIKELIHOOD_BARRIER_WEIGHT,
    LIKELIHOOD_ENGAGEMENT_WEIGHT,
    LIKELIHOOD_NOT_INVOLVED_WEIGHT,
    LIKELIHOOD_RESISTANCE_WEIGHT,
    LIKELIHOOD_SIGNALS_WEIGHT,
    adkar_barrier,
    adoption_likelihood,
    adoption_risk,
    barrier_term,
    blocking_risk,
    consequence_term,
    engagement_readiness,
    engagement_term,
    has_adkar_scores,
    has_mitigation_plan,
    is_resistor,
    latest_measured_adoption,
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
        ({"awareness": 3.5, "desire": 4.2}, None, True, 0.0),  # 3.5 is no barrier
        ({"awareness": 3.5, "desire": 3.49}, "desire", True, 0.9),  # a survey mean below 3.5
        ({"awareness": 3.4}, "awareness", True, 1.0),
    ],
)
def test_adkar_barrier(scores, barrier, known, term):
    adkar = Adkar(**scores)
    assert adkar_barrier(adkar) == barrier
    assert has_adkar_scores(adkar) is known
    assert barrier_term(adkar) == pytest.approx(term)


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
    assert engagement_term(s) == pytest.approx(expected)


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


@pytest.mark.parametrize("engagement", ["supportive", "leading"])
def test_signals_of_a_won_over_stakeholder_are_history(engagement):
    won_over = stakeholder("s", engagement=engagement, opposed_purchase=True, job_gets_harder=True)
    assert signals_term(won_over) == 0


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
    assert risk.terms.likelihood == Fraction("0.88")
    assert (risk.score, risk.band, risk.ramped) == (75, "high", False)


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


# The calendar ramp. A stakeholder of low consequence lacking desire:
# C = 0.6*0.25 + 0.4*0.75 = 0.45 (influence 2, impact 4), L = 0.2*0.9 = 0.18
# (supportive as desired, nothing else), risk = round(8.1) = 8 without the ramp.
def ramp_candidate(**fields):
    defaults = {
        "role": "downstream",
        "influence": 2,
        "impact": 4,
        "engagement": "supportive",
        "adkar": Adkar(awareness=4, desire=3),
    }
    return stakeholder("s", **{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "days", "score", "ramped"),
    [
        ({}, 100, 8, False),
        ({}, 57, 8, False),
        ({}, 56, 8, False),  # the ramp starts at 0
        ({}, 54, 8, False),  # round(40 x 2/42) = 2, below the weighted 8
        ({}, 49, 8, False),  # round(40 x 7/42) = round(6.67) = 7
        ({}, 48, 8, False),  # round(40 x 8/42) = round(7.62) = 8: equal, not raised
        ({}, 47, 9, True),  # round(40 x 9/42) = round(8.57) = 9
        ({}, 42, 13, True),  # round(40/3) = 13
        ({}, 35, 20, True),  # halfway: 20
        ({}, 15, 39, True),  # round(40 x 41/42) = round(39.05) = 39
        ({}, 14, 40, True),  # full height two weeks out
        ({}, 0, 40, True),
        ({}, -60, 40, True),  # past go-live
        ({"adkar": Adkar(awareness=1)}, 14, 40, True),
        ({"adkar": Adkar(awareness=3.4)}, 14, 40, True),  # a survey mean below 3.5
        ({"adkar": Adkar(awareness=4, desire=3.5)}, 14, 0, False),  # no barrier: L = 0
        ({"impact": 3}, 14, 6, False),  # C = 0.35, L = 0.18: 6.3
        ({"adkar": Adkar(awareness=4, desire=4, knowledge=1)}, 14, 5, False),  # L = 0.12: 5.4
        ({"adkar": Adkar()}, 14, 4, False),  # unknown is not the ramp's barrier: 3.6
    ],
)
def test_calendar_ramp(fields, days, score, ramped):
    risk = stakeholder_risk(ramp_candidate(**fields), [], days)
    assert (risk.score, risk.ramped) == (score, ramped)


def test_ramp_does_not_lower_a_risk_above_it():
    # Influence 5, impact 5, resistant towards supportive, lacking desire:
    # L = 0.3 + 0.18 = 0.48, C = 1.0, risk 48: above the ramp's 40.
    s = ramp_candidate(influence=5, impact=5, engagement="resistant")
    risk = stakeholder_risk(s, [], 10)
    assert (risk.score, risk.ramped) == (48, False)


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
        (Fraction(45, 2), 23),  # exact halves come from exact terms
        (Fraction(4499, 200), 22),
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


@pytest.mark.parametrize(
    ("adopters", "expected"),
    [
        ([], 0),
        ([(0, Fraction(1))], 0),  # nobody counted: weight 0
        ([(10, Fraction("0.5"))], 50),
        # 860 nurses x impact 5 at 0.2, one CFO x impact 2 at 0.9: the nurses decide.
        (
            [(4300, Fraction("0.2")), (2, Fraction("0.9"))],
            Fraction(100 * (860 + Fraction("1.8")), 4302),
        ),
    ],
)
def test_adoption_risk_is_the_mean_weighted_by_people_times_impact(adopters, expected):
    assert adoption_risk(adopters) == expected


def test_blocking_risk_is_80_percent_of_the_highest_blocker_risk():
    assert blocking_risk([]) == 0
    assert blocking_risk([10, 75, 44]) == 60


@pytest.mark.parametrize(
    ("adoption", "blocking", "findings", "score", "band", "capped_by"),
    [
        # The worse answer wins; the score is never capped.
        (Fraction(20), Fraction(60), [], 40, "not_ready", ()),
        (Fraction(45, 2), Fraction(10), [], 78, "at_risk", ()),  # 77.5 rounds up
        (Fraction(15), Fraction(0), [], 85, "ready", ()),
        # A warning lowers a ready band to at_risk and says which.
        (
            Fraction(15),
            Fraction(0),
            [("a", "warning"), ("b", "warning"), ("a", "warning")],
            85,
            "at_risk",
            ("a", "b"),
        ),
        # A critical makes it not_ready; only the criticals are named.
        (Fraction(15), Fraction(0), [("c", "critical"), ("w", "warning")], 85, "not_ready", ("c",)),
        (Fraction(30), Fraction(0), [("c", "critical")], 70, "not_ready", ("c",)),
        # A warning on an at_risk score lowers nothing.
        (Fraction(30), Fraction(0), [("w", "warning")], 70, "at_risk", ()),
        # Nothing to lower below not_ready.
        (Fraction(60), Fraction(0), [("c", "critical"), ("w", "warning")], 40, "not_ready", ()),
        # An info finding lowers nothing.
        (Fraction(0), Fraction(0), [("i", "info")], 100, "ready", ()),
    ],
)
def test_readiness_and_its_band(adoption, blocking, findings, score, band, capped_by):
    readiness = engagement_readiness(adoption, blocking, findings)
    assert (readiness.score, readiness.band, readiness.capped_by) == (score, band, capped_by)


def test_readiness_without_stakeholders_is_0():
    readiness = engagement_readiness(Fraction(0), Fraction(0), [], has_stakeholders=False)
    assert (readiness.score, readiness.band, readiness.capped_by) == (0, "not_ready", ())


@pytest.mark.parametrize(
    ("fields", "measured", "days", "expected"),
    [
        # Estimated: the risk's likelihood, 0.18 for the ramp candidate...
        ({}, None, 100, Fraction("0.18")),
        # ...raised to 0.6 x the ramp factor where the ramp applies.
        ({}, None, 35, Fraction("0.3")),
        ({}, None, 14, Fraction("0.6")),
        ({"impact": 3}, None, 14, Fraction("0.18")),
        # Measured: 1 - actual / target replaces the estimate and the ramp.
        ({}, AdoptionTarget("s", 2, 80.0, 60.0), 14, Fraction(1, 4)),
        ({}, AdoptionTarget("s", 2, 80.0, 100.0), 14, Fraction(0)),
    ],
)
def test_adoption_likelihood(fields, measured, days, expected):
    s = ramp_candidate(**fields)
    risk = stakeholder_risk(s, [], days)
    assert adoption_likelihood(s, risk, days, measured) == expected


def test_the_latest_measured_week_up_to_the_current_one_counts():
    targets = [
        AdoptionTarget("g", 1, 40.0, 10.0),
        AdoptionTarget("g", 2, 0.0, 5.0),  # a target of 0 measures nothing
        AdoptionTarget("g", 3, 60.0, None),  # not measured
        AdoptionTarget("g", 5, 80.0, 80.0),  # in the future
    ]
    assert latest_measured_adoption(targets, 4) == targets[0]
    assert latest_measured_adoption(targets, 5) == targets[3]
    assert latest_measured_adoption(targets, 0) is None
