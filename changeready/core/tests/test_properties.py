"""The properties the domain reference (section 4) says must hold, tested on
generated stakeholders and engagements."""

from __future__ import annotations

import json
import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from changeready.core.assessment import assess
from changeready.core.model import SEVERITIES, Adkar
from changeready.core.scoring import engagement_readiness, stakeholder_risk
from changeready.core.tests.strategies import (
    adkars,
    as_of_dates,
    as_of_days,
    engagements,
    resistance_points,
    stakeholders,
)

# Enough examples to find boundary cases, few enough to run in seconds. Whole
# engagements are costlier to generate, so they get fewer examples each.
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)
ENGAGEMENT_SETTINGS = settings(max_examples=100, deadline=None)

own_points = st.lists(resistance_points(("s",)), max_size=4)


@ENGAGEMENT_SETTINGS
@given(engagements(), as_of_dates())
def test_scores_stay_between_0_and_100(data, as_of):
    assessment = assess(data, as_of)
    for s in assessment.stakeholders:
        assert 0 <= s.risk <= 100
    assert 0 <= assessment.readiness.score <= 100
    assert 0 <= assessment.readiness.uncapped_score <= 100
    json.dumps(assessment.to_dict())  # the API body is plain JSON


@PROPERTY_SETTINGS
@given(stakeholders(), own_points, as_of_days, st.sampled_from(["influence", "impact"]), st.data())
def test_raising_influence_or_impact_never_lowers_risk(stakeholder, points, days, field, data):
    level = getattr(stakeholder, field)
    raised = replace(stakeholder, **{field: data.draw(st.integers(min_value=level, max_value=5))})
    before = stakeholder_risk(stakeholder, points, days).score
    assert stakeholder_risk(raised, points, days).score >= before


# The mitigation path from open to resolved. `accepted` (factor 0.8) is not on
# it: accepting a planned (0.7) or in-progress (0.5) risk rightly raises it.
MITIGATION_PATH = ("open", "planned", "in_progress", "resolved")


@PROPERTY_SETTINGS
@given(
    stakeholders(),
    st.lists(resistance_points(("s",), statuses=MITIGATION_PATH), min_size=1, max_size=4),
    as_of_days,
    st.data(),
)
def test_moving_a_mitigation_towards_resolved_never_raises_risk(stakeholder, points, days, data):
    index = data.draw(st.integers(min_value=0, max_value=len(points) - 1))
    step = MITIGATION_PATH.index(points[index].status)
    later = data.draw(st.sampled_from(MITIGATION_PATH[step:]))
    moved = [*points[:index], replace(points[index], status=later), *points[index + 1 :]]
    before = stakeholder_risk(stakeholder, points, days).score
    assert stakeholder_risk(stakeholder, moved, days).score <= before


weighted_risks = st.lists(
    st.tuples(
        st.floats(min_value=0.1, max_value=1.0, allow_nan=False),
        st.integers(min_value=0, max_value=100),
    ),
    max_size=10,
)


@PROPERTY_SETTINGS
@given(weighted_risks, st.lists(st.sampled_from(SEVERITIES), max_size=5))
def test_adding_a_critical_finding_never_raises_readiness(risks, severities):
    before = engagement_readiness(risks, severities)
    after = engagement_readiness(risks, [*severities, "critical"])
    assert after.score <= before.score
    assert after.score <= 49
    assert 0 <= after.score <= 100


@ENGAGEMENT_SETTINGS
@given(engagements(), as_of_dates())
def test_adding_a_critical_finding_to_an_assessment_never_raises_its_readiness(data, as_of):
    assessment = assess(data, as_of)
    risks = [(s.terms.consequence, s.risk) for s in assessment.stakeholders]
    severities = [f.severity for f in assessment.findings]
    assert engagement_readiness(risks, severities) == assessment.readiness
    with_critical = engagement_readiness(risks, [*severities, "critical"])
    assert with_critical.score <= assessment.readiness.score


@st.composite
def floor_barrier_adkars(draw) -> Adkar:
    """ADKAR scores whose barrier is awareness or desire."""
    adkar = draw(adkars)
    low = draw(st.integers(min_value=1, max_value=3))
    if draw(st.booleans()):
        return replace(adkar, awareness=low)
    high_or_absent = draw(st.none() | st.integers(min_value=4, max_value=5))
    return replace(adkar, awareness=high_or_absent, desire=low)


@PROPERTY_SETTINGS
@given(
    stakeholders(),
    own_points,
    st.integers(min_value=4, max_value=5),
    floor_barrier_adkars(),
    st.integers(min_value=-120, max_value=28),
)
def test_a_stakeholder_meeting_the_floor_is_high(stakeholder, points, impact, adkar, days):
    s = replace(stakeholder, impact=impact, adkar=adkar)
    risk = stakeholder_risk(s, points, days)
    assert risk.band == "high"
    assert risk.score >= 40


@ENGAGEMENT_SETTINGS
@given(engagements(), as_of_dates(), st.randoms(use_true_random=False))
def test_assessment_is_deterministic_and_independent_of_input_order(
    data, as_of, rnd: random.Random
):
    assessment = assess(data, as_of)
    assert assess(data, as_of) == assessment

    shuffled = replace(
        data,
        stakeholders=tuple(rnd.sample(data.stakeholders, len(data.stakeholders))),
        resistance_points=tuple(rnd.sample(data.resistance_points, len(data.resistance_points))),
    )
    reordered = assess(shuffled, as_of)
    assert {s.id: s for s in reordered.stakeholders} == {s.id: s for s in assessment.stakeholders}
    assert reordered.findings == assessment.findings
    assert reordered.readiness == assessment.readiness
