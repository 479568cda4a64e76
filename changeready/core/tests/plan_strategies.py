"""Hypothesis strategies for the plan properties: random but valid landscapes.

Ids are small ("s3", "r5") so failures shrink to readable examples; names
are drawn independently of ids so the code cannot lean on them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from hypothesis import strategies as st

from changeready.core.model import (
    ENGAGEMENT_LEVELS,
    KINDS,
    MITIGATION_STATUSES,
    MITIGATION_STRATEGIES,
    RESISTANCE_SOURCES,
    ROLES,
    Adkar,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.rules import BUILTIN_RULES, MAX_WEEK, MIN_WEEK, Rule
from changeready.core.tests.plan_fixtures import engagement

levels = st.integers(min_value=1, max_value=5)
adkar_scores = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
names = st.text(alphabet="abcdefghij {}", min_size=1, max_size=12)


@st.composite
def stakeholders(draw, id: str) -> Stakeholder:
    return Stakeholder(
        id=id,
        name=draw(names),
        kind=draw(st.sampled_from(KINDS)),
        role=draw(st.sampled_from(ROLES)),
        opposed_purchase=draw(st.booleans()),
        influence=draw(levels),
        interest=draw(levels),
        impact=draw(levels),
        engagement=draw(st.sampled_from(ENGAGEMENT_LEVELS)),
        job_gets_harder=draw(st.booleans()),
        authority_decreases=draw(st.booleans()),
        adkar=Adkar(*(draw(adkar_scores) for _ in range(5))),
    )


@st.composite
def resistance_points(draw, id: str, stakeholder_ids: list[str]) -> ResistancePoint:
    return ResistancePoint(
        id=id,
        stakeholder_id=draw(st.sampled_from(stakeholder_ids)),
        source=draw(st.sampled_from(RESISTANCE_SOURCES)),
        severity=draw(levels),
        description=draw(st.text(alphabet="abc .{}é", max_size=30)),
        strategy=draw(st.one_of(st.none(), st.sampled_from(MITIGATION_STRATEGIES))),
        owner=draw(st.sampled_from(["", "Priya Raman"])),
        due_week=draw(st.one_of(st.none(), st.integers(min_value=MIN_WEEK, max_value=MAX_WEEK))),
        status=draw(st.sampled_from(MITIGATION_STATUSES)),
    )


@st.composite
def landscapes(draw, max_stakeholders: int = 12, max_points: int = 10):
    count = draw(st.integers(min_value=0, max_value=max_stakeholders))
    people = [draw(stakeholders(f"s{number}")) for number in range(count)]
    points = []
    if people:
        ids = [stakeholder.id for stakeholder in people]
        point_count = draw(st.integers(min_value=0, max_value=max_points))
        points = [draw(resistance_points(f"r{number}", ids)) for number in range(point_count)]
    return engagement(*people, points=tuple(points))


@dataclass(frozen=True)
class Window:
    first_week: int
    last_week: int
    adoption_target_pct: float
    adoption_target_week: int

    def options(self) -> dict:
        return dataclasses.asdict(self)


windows = st.builds(
    Window,
    first_week=st.integers(min_value=-10, max_value=0),
    last_week=st.integers(min_value=1, max_value=16),
    adoption_target_pct=st.floats(min_value=1, max_value=100, allow_nan=False),
    adoption_target_week=st.integers(min_value=1, max_value=16),
)


@st.composite
def rule_libraries(draw) -> tuple[Rule, ...]:
    """The built-in library with a random selection switched off."""
    switched_off = draw(st.sets(st.sampled_from([rule.key for rule in BUILTIN_RULES])))
    return tuple(
        dataclasses.replace(rule, enabled=False) if rule.key in switched_off else rule
        for rule in BUILTIN_RULES
    )
