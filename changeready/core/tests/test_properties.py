"""The properties docs/domain.md ("Scoring") says must hold, tested on
generated stakeholders and engagements. One test per property, in the order
the reference lists them."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from changeready.core.assessment import Assessment, assess
from changeready.core.model import ROLES, SEVERITIES, Adkar, EngagementData, Stakeholder
from changeready.core.scoring import (
    ADOPTER_ROLES,
    BAND_ORDER,
    engagement_readiness,
    stakeholder_risk,
)
from changeready.core.tests.strategies import (
    adkars,
    as_of_dates,
    as_of_days,
    engagements,
    resistance_points,
    stakeholders,
)

# Enough examples to find boundary cases, few enough to run in seconds on a
# loaded machine. Whole engagements cost more to generate and assess, so they
# get fewer examples each; no deadline, since a busy machine is not a bug.
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)
ENGAGEMENT_SETTINGS = settings(max_examples=80, deadline=None)

own_points = st.lists(resistance_points(("s",)), max_size=4)
findings = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.sampled_from(SEVERITIES)), max_size=6
)
risks_0_to_100 = st.fractions(min_value=0, max_value=100)


def band_rank(band: str) -> int:
    return BAND_ORDER.index(band)


def adopters_mean(assessment: Assessment) -> Fraction:
    """The adopters' weighted mean adoption likelihood (0 when they weigh nothing)."""
    return assessment.readiness.adoption_risk / 100


@ENGAGEMENT_SETTINGS
@given(engagements(), as_of_dates())
def test_scores_stay_between_0_and_100(data, as_of):
    assessment = assess(data, as_of)
    for s in assessment.stakeholders:
        assert 0 <= s.risk <= 100
    assert 0 <= assessment.readiness.score <= 100
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


@ENGAGEMENT_SETTINGS
@given(engagements(), as_of_dates(), st.data())
def test_moving_a_mitigation_towards_resolved_never_lowers_readiness_or_band(data, as_of, draw):
    on_path = [p for p in data.resistance_points if p.status in MITIGATION_PATH]
    if not on_path:
        return
    moving = draw.draw(st.sampled_from(on_path))
    later = draw.draw(st.sampled_from(MITIGATION_PATH[MITIGATION_PATH.index(moving.status) :]))
    moved = replace(
        data,
        resistance_points=tuple(
            replace(p, status=later) if p.id == moving.id else p for p in data.resistance_points
        ),
    )
    before, after = assess(data, as_of), assess(moved, as_of)
    assert all(
        a.risk <= b.risk for a, b in zip(after.stakeholders, before.stakeholders, strict=True)
    )
    assert after.readiness.score >= before.readiness.score
    assert band_rank(after.readiness.band) >= band_rank(before.readiness.band)


@PROPERTY_SETTINGS
@given(risks_0_to_100, risks_0_to_100, findings, st.sampled_from(["a", "z"]))
def test_adding_a_critical_finding_never_raises_the_band(adoption, blocking, found, code):
    before = engagement_readiness(adoption, blocking, found)
    after = engagement_readiness(adoption, blocking, [*found, (code, "critical")])
    assert band_rank(after.band) <= band_rank(before.band)
    assert after.band == "not_ready"
    assert after.score == before.score  # the score is never capped


@ENGAGEMENT_SETTINGS
@given(engagements(), as_of_dates())
def test_adding_a_critical_finding_to_an_assessment_never_raises_its_band(data, as_of):
    assessment = assess(data, as_of)
    readiness = assessment.readiness
    found = [(f.code, f.severity) for f in assessment.findings]
    recomputed = engagement_readiness(
        readiness.adoption_risk, readiness.blocking_risk, found, bool(data.stakeholders)
    )
    assert recomputed == readiness
    with_critical = engagement_readiness(
        readiness.adoption_risk,
        readiness.blocking_risk,
        [*found, ("no_sponsor", "critical")],
        bool(data.stakeholders),
    )
    assert band_rank(with_critical.band) <= band_rank(readiness.band)
    # capped_by names exactly the codes that lowered the band, once each.
    if readiness.capped_by:
        assert readiness.band != readiness.score_band
        lowering = "critical" if readiness.band == "not_ready" else "warning"
        codes = [code for code, severity in found if severity == lowering]
        assert readiness.capped_by == tuple(dict.fromkeys(codes))
    else:
        assert readiness.band == readiness.score_band


@st.composite
def ramp_barrier_adkars(draw) -> Adkar:
    """ADKAR scores whose barrier is awareness or desire (below 3.5)."""
    adkar = draw(adkars)
    low = draw(st.sampled_from([1, 2, 3, 3.4, 2.5]))
    if draw(st.booleans()):
        return replace(adkar, awareness=low)
    high_or_absent = draw(st.none() | st.sampled_from([3.5, 4, 5]))
    return replace(adkar, awareness=high_or_absent, desire=low)


@PROPERTY_SETTINGS
@given(
    stakeholders(),
    own_points,
    st.integers(min_value=4, max_value=5),
    ramp_barrier_adkars(),
    st.integers(min_value=-120, max_value=14),
)
def test_a_stakeholder_meeting_the_ramps_full_condition_is_high(
    stakeholder, points, impact, adkar, days
):
    s = replace(stakeholder, impact=impact, adkar=adkar)
    risk = stakeholder_risk(s, points, days)
    assert risk.band == "high"
    assert risk.score >= 40


@PROPERTY_SETTINGS
@given(stakeholders(), own_points, st.integers(min_value=-120, max_value=120))
def test_a_risk_moves_by_at_most_one_point_a_day(stakeholder, points, days):
    today = stakeholder_risk(stakeholder, points, days).score
    tomorrow = stakeholder_risk(stakeholder, points, days - 1).score
    assert abs(tomorrow - today) <= 1


@st.composite
def with_heavy_adopters(draw) -> EngagementData:
    """An engagement whose adopters weigh 500 or more (people x impact)."""
    data = draw(engagements(max_stakeholders=6))
    heavy = replace(
        draw(stakeholders("heavy")),
        kind="group",
        group_id=None,
        role=draw(st.sampled_from(sorted(ADOPTER_ROLES))),
        headcount=draw(st.integers(min_value=500, max_value=5000)),
    )
    return replace(data, stakeholders=(*data.stakeholders, heavy))


@ENGAGEMENT_SETTINGS
@given(with_heavy_adopters(), as_of_dates(), st.data())
def test_adding_a_person_of_influence_3_or_less_moves_readiness_by_at_most_1(data, as_of, draw):
    group_ids = tuple(s.id for s in data.stakeholders if s.kind == "group")
    person = replace(
        draw.draw(stakeholders("newcomer", group_ids)),
        kind="person",
        influence=draw.draw(st.integers(min_value=1, max_value=3)),
    )
    before = assess(data, as_of).readiness.score
    after = assess(replace(data, stakeholders=(*data.stakeholders, person)), as_of)
    assert abs(after.readiness.score - before) <= 1


@ENGAGEMENT_SETTINGS
@given(engagements(max_stakeholders=6), as_of_dates(), st.data())
def test_adding_a_stakeholder_at_least_as_unlikely_to_adopt_never_raises_readiness(
    data, as_of, draw
):
    group_ids = tuple(s.id for s in data.stakeholders if s.kind == "group")
    newcomer: Stakeholder = draw.draw(stakeholders("newcomer", group_ids))
    before = assess(data, as_of)
    after = assess(replace(data, stakeholders=(*data.stakeholders, newcomer)), as_of)
    added = after.stakeholders[-1]
    # Without stakeholders the score is 0 by definition: the first one always raises it.
    if not data.stakeholders:
        return
    if added.adoption is None or added.adoption.likelihood >= adopters_mean(before):
        assert after.readiness.score <= before.readiness.score


@ENGAGEMENT_SETTINGS
@given(engagements(max_stakeholders=6), as_of_dates(), st.data())
def test_adding_an_influential_non_adopter_never_raises_readiness(data, as_of, draw):
    newcomer = replace(
        draw.draw(stakeholders("newcomer")),
        role=draw.draw(st.sampled_from([r for r in ROLES if r not in ADOPTER_ROLES])),
        influence=draw.draw(st.integers(min_value=4, max_value=5)),
    )
    before = assess(data, as_of).readiness
    after = assess(replace(data, stakeholders=(*data.stakeholders, newcomer)), as_of).readiness
    assert after.blocking_risk >= before.blocking_risk
    if data.stakeholders:  # without any the score is 0 by definition
        assert after.score <= before.score


@ENGAGEMENT_SETTINGS
@given(engagements(), as_of_dates(), st.data())
def test_shrinking_a_group_less_likely_to_adopt_than_the_mean_never_lowers_readiness(
    data, as_of, draw
):
    before = assess(data, as_of)
    mean = adopters_mean(before)
    shrinkable = [
        s
        for s in before.stakeholders
        if s.kind == "group" and s.adoption is not None and s.adoption.likelihood > mean
    ]
    if not shrinkable:
        return
    group = draw.draw(st.sampled_from(shrinkable))
    smaller = draw.draw(st.integers(min_value=0, max_value=group.people))
    shrunk = replace(
        data,
        stakeholders=tuple(
            replace(s, headcount=smaller) if s.id == group.id else s for s in data.stakeholders
        ),
    )
    assert assess(shrunk, as_of).readiness.score >= before.readiness.score


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
