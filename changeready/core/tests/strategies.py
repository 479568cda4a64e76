"""Hypothesis strategies for valid core input: stakeholders, resistance points,
plan items, adoption targets and whole engagements."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from changeready.core.model import (
    ADKAR_ELEMENTS,
    ENGAGEMENT_LEVELS,
    INVOLVEMENTS,
    KINDS,
    MITIGATION_STATUSES,
    MITIGATION_STRATEGIES,
    OWNER_ROLES,
    PHASES,
    PLAN_ITEM_KINDS,
    PLAN_ITEM_STATUSES,
    RESISTANCE_SOURCES,
    ROLES,
    Adkar,
    AdoptionTarget,
    Engagement,
    EngagementData,
    PlanItem,
    ResistancePoint,
    Stakeholder,
)

GO_LIVE = date(2027, 4, 5)

levels = st.integers(min_value=1, max_value=5)
# Estimated scores are whole; survey means can be fractional.
adkar_scores = st.one_of(
    st.none(),
    levels,
    st.floats(min_value=1, max_value=5, allow_nan=False).map(lambda x: round(x, 2)),
)
adkars = st.builds(Adkar, **dict.fromkeys(ADKAR_ELEMENTS, adkar_scores))
# A few short names, so that equal names (ties in ordering) happen.
names = st.sampled_from(["Ana", "Ben", "Cho", "Dee", "Eli", "Ana Lima", "Ward nurses"])
owners = st.sampled_from(["", " ", "Ana Lima", "Ben Okafor"])
texts = st.sampled_from(["", "  ", "Fewer walking miles per shift."])


@st.composite
def stakeholders(draw, id: str = "s", group_ids: tuple[str, ...] = ()) -> Stakeholder:
    kind = draw(st.sampled_from(KINDS))
    return Stakeholder(
        id=id,
        name=draw(names),
        kind=kind,
        role=draw(st.sampled_from(ROLES)),
        group_id=draw(st.sampled_from((None, *group_ids))) if kind == "person" else None,
        opposed_purchase=draw(st.booleans()),
        influence=draw(levels),
        interest=draw(levels),
        impact=draw(levels),
        engagement=draw(st.sampled_from(ENGAGEMENT_LEVELS)),
        desired_engagement=draw(st.sampled_from(ENGAGEMENT_LEVELS)),
        involvement=draw(st.frozensets(st.sampled_from(INVOLVEMENTS), max_size=3)),
        success_definition=draw(texts),
        resistance_triggers=draw(texts),
        job_gets_harder=draw(st.booleans()),
        authority_decreases=draw(st.booleans()),
        adkar=draw(adkars),
        headcount=draw(st.none() | st.integers(min_value=0, max_value=5000)),
        is_champion=draw(st.booleans()),
    )


@st.composite
def resistance_points(
    draw, stakeholder_ids: tuple[str, ...], id: str = "p", statuses=MITIGATION_STATUSES
) -> ResistancePoint:
    return ResistancePoint(
        id=id,
        stakeholder_id=draw(st.sampled_from(stakeholder_ids)),
        source=draw(st.sampled_from(RESISTANCE_SOURCES)),
        severity=draw(levels),
        strategy=draw(st.none() | st.sampled_from(MITIGATION_STRATEGIES)),
        owner=draw(owners),
        due_week=draw(st.none() | st.integers(min_value=-6, max_value=12)),
        status=draw(st.sampled_from(statuses)),
    )


@st.composite
def plan_items(
    draw, id: str, stakeholder_ids: tuple[str, ...], point_ids: tuple[str, ...]
) -> PlanItem:
    return PlanItem(
        id=id,
        week=draw(st.integers(min_value=-6, max_value=14)),
        title=draw(st.sampled_from(["Office hours", "Sponsor 1:1", "Pulse survey"])),
        kind=draw(st.sampled_from(PLAN_ITEM_KINDS)),
        owner_role=draw(st.sampled_from(OWNER_ROLES)),
        owner=draw(owners),
        audience_ids=tuple(
            draw(st.lists(st.sampled_from(stakeholder_ids), max_size=3, unique=True))
        )
        if stakeholder_ids
        else (),
        resistance_point_id=draw(st.none() | st.sampled_from(point_ids)) if point_ids else None,
        status=draw(st.sampled_from(PLAN_ITEM_STATUSES)),
    )


percentages = st.floats(min_value=0, max_value=100, allow_nan=False)


@st.composite
def adoption_targets(draw, stakeholder_ids: tuple[str, ...]) -> tuple[AdoptionTarget, ...]:
    """At most one target per stakeholder and week, as the domain expects."""
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(stakeholder_ids), st.integers(min_value=0, max_value=12)),
            max_size=8,
            unique=True,
        )
    )
    return tuple(
        AdoptionTarget(sid, week, draw(percentages), draw(st.none() | percentages))
        for sid, week in keys
    )


# as_of, in days relative to go-live: from well before the window to well after it.
as_of_days = st.integers(min_value=-120, max_value=120)


def as_of_dates() -> st.SearchStrategy[date]:
    return as_of_days.map(lambda days: GO_LIVE + timedelta(days=days))


@st.composite
def engagements(draw, max_stakeholders: int = 8) -> EngagementData:
    """A whole engagement with unique ids and consistent references."""
    count = draw(st.integers(min_value=0, max_value=max_stakeholders))
    ids = tuple(f"s{i}" for i in range(count))
    landscape = []
    for sid in ids:
        group_ids = tuple(s.id for s in landscape if s.kind == "group")
        landscape.append(draw(stakeholders(sid, group_ids)))
    points = (
        tuple(
            draw(resistance_points(ids, f"p{i}"))
            for i in range(draw(st.integers(min_value=0, max_value=6)))
        )
        if ids
        else ()
    )
    point_ids = tuple(p.id for p in points)
    items = tuple(
        draw(plan_items(f"i{i}", ids, point_ids))
        for i in range(draw(st.integers(min_value=0, max_value=6)))
    )
    return EngagementData(
        engagement=Engagement(
            id="e",
            name="Rollout",
            go_live_date=GO_LIVE,
            phase=draw(st.sampled_from(PHASES)),
            opposition_reviewed=draw(st.booleans()),
            cs_owner_name=draw(owners),
            handoff_accepted=draw(st.booleans()),
            snapshot_dates=tuple(
                draw(st.lists(as_of_dates(), max_size=3, unique=True).map(sorted))
            ),
        ),
        stakeholders=tuple(landscape),
        resistance_points=points,
        plan_items=items,
        adoption_targets=draw(adoption_targets(ids)) if ids else (),
    )
