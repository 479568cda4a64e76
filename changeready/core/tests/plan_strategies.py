"""Hypothesis strategies for the plan properties: random but valid engagements.

Ids are small ("s3", "r5") so failures shrink to readable examples; names
are drawn independently of ids so the code cannot lean on them. Texts draw
from phrases of the theme lexicon, so themes are found as often as not.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import strategies as st

from changeready.core.model import (
    ADOPTION_MODES,
    ENGAGEMENT_LEVELS,
    KINDS,
    MITIGATION_STATUSES,
    MITIGATION_STRATEGIES,
    RESISTANCE_SOURCES,
    ROLES,
    Adkar,
    BlackoutPeriod,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.rules import BUILTIN_RULES, Rule
from changeready.core.tests.plan_fixtures import engagement, week_date

levels = st.integers(min_value=1, max_value=5)
adkar_scores = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
names = st.text(alphabet="abcdefghij {}", min_size=1, max_size=12)
said = st.lists(
    st.sampled_from(
        [
            "fear the pick rates are used against them",
            "too few scanners",
            "new starters every month",
            "night shifts",
            "extra clicks",
            "pop-ups",
            "month-end close",
            "lose sight of the dashboards",
            "redundant roles",
            "nothing in particular",
        ]
    ),
    max_size=3,
).map(" and ".join)


@st.composite
def stakeholders(draw, id: str, group_ids: list[str]) -> Stakeholder:
    kind = draw(st.sampled_from(KINDS))
    return Stakeholder(
        id=id,
        name=draw(names),
        kind=kind,
        role=draw(st.sampled_from(ROLES)),
        group_id=draw(st.one_of(st.none(), st.sampled_from(group_ids)))
        if kind == "person" and group_ids
        else None,
        opposed_purchase=draw(st.booleans()),
        influence=draw(levels),
        interest=draw(levels),
        impact=draw(levels),
        engagement=draw(st.sampled_from(ENGAGEMENT_LEVELS)),
        success_definition=draw(said),
        resistance_triggers=draw(said),
        job_gets_harder=draw(st.booleans()),
        authority_decreases=draw(st.booleans()),
        adkar=Adkar(*(draw(adkar_scores) for _ in range(5))),
        headcount=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
        if kind == "group"
        else None,
        is_champion=kind == "person" and draw(st.booleans()),
    )


@st.composite
def resistance_points(draw, id: str, stakeholder_ids: list[str]) -> ResistancePoint:
    return ResistancePoint(
        id=id,
        stakeholder_id=draw(st.sampled_from(stakeholder_ids)),
        source=draw(st.sampled_from(RESISTANCE_SOURCES)),
        severity=draw(levels),
        description=draw(said),
        strategy=draw(st.one_of(st.none(), st.sampled_from(MITIGATION_STRATEGIES))),
        owner=draw(st.sampled_from(["", "Priya Raman"])),
        due_week=draw(st.one_of(st.none(), st.integers(min_value=-30, max_value=60))),
        status=draw(st.sampled_from(MITIGATION_STATUSES)),
    )


@st.composite
def blackouts(draw) -> BlackoutPeriod:
    start = draw(st.integers(min_value=-20, max_value=20))
    length_days = draw(st.integers(min_value=0, max_value=20))
    first_day = week_date(start, draw(st.integers(min_value=0, max_value=6)))
    return BlackoutPeriod(
        start=first_day, end=first_day + timedelta(days=length_days), label="Closed"
    )


@st.composite
def engagements(draw, max_stakeholders: int = 12, max_points: int = 10):
    count = draw(st.integers(min_value=0, max_value=max_stakeholders))
    people: list[Stakeholder] = []
    for number in range(count):
        groups = [s.id for s in people if s.kind == "group"]
        people.append(draw(stakeholders(f"s{number}", groups)))
    points = []
    if people:
        ids = [stakeholder.id for stakeholder in people]
        point_count = draw(st.integers(min_value=0, max_value=max_points))
        points = [draw(resistance_points(f"r{number}", ids)) for number in range(point_count)]
    kickoff = draw(st.one_of(st.none(), st.integers(min_value=-30, max_value=0)))
    renewal = draw(st.one_of(st.none(), st.integers(min_value=2, max_value=70)))
    return engagement(
        *people,
        points=tuple(points),
        kickoff_date=None if kickoff is None else week_date(kickoff, 2),
        renewal_date=None if renewal is None else week_date(renewal, 1),
        adoption_mode=draw(st.sampled_from(ADOPTION_MODES)),
        blackout_periods=tuple(draw(st.lists(blackouts(), max_size=2))),
        delivery_lead_name=draw(st.sampled_from(["", "Dana Lead"])),
        cs_owner_name=draw(st.sampled_from(["", "Sam CS"])),
    )


# The week the plan is generated in, or None for a plan made before it starts.
as_of_weeks = st.one_of(st.none(), st.integers(min_value=-12, max_value=8))


@st.composite
def rule_libraries(draw) -> tuple[Rule, ...]:
    """The built-in library with a random selection switched off."""
    switched_off = draw(st.sets(st.sampled_from([rule.key for rule in BUILTIN_RULES])))
    return tuple(
        dataclasses.replace(rule, enabled=False) if rule.key in switched_off else rule
        for rule in BUILTIN_RULES
    )
