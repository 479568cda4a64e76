"""Small builders so each test case states only what it is about.

`healthy()` is an engagement on which no check fires: every finding test
starts from it and breaks exactly one thing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from changeready.core.assessment import Assessment, assess
from changeready.core.findings import Finding
from changeready.core.model import (
    Adkar,
    AdoptionTarget,
    Engagement,
    EngagementData,
    PlanItem,
    ResistancePoint,
    Stakeholder,
)

# A Monday, so plan weeks start on go-live day.
GO_LIVE = date(2027, 4, 5)
FULL_ADKAR = Adkar(awareness=4, desire=4, knowledge=4, ability=4, reinforcement=4)


def as_of(days_to_go_live: int) -> date:
    """The day that is `days_to_go_live` days before go-live (negative: after)."""
    return GO_LIVE - timedelta(days=days_to_go_live)


def stakeholder(id: str, **fields) -> Stakeholder:
    """A stakeholder named after its id, with the model's defaults otherwise."""
    return Stakeholder(id=id, name=fields.pop("name", id.capitalize()), **fields)


def point(id: str, stakeholder_id: str, severity: int = 3, **fields) -> ResistancePoint:
    return ResistancePoint(
        id=id,
        stakeholder_id=stakeholder_id,
        source="workload_increase",
        severity=severity,
        **fields,
    )


def item(id: str, week: int, **fields) -> PlanItem:
    fields.setdefault("owner", "Ana Lima")
    fields.setdefault("title", f"Item {id}")
    return PlanItem(id=id, week=week, kind="coaching", owner_role="delivery", **fields)


def healthy(days_to_go_live: int = 42) -> EngagementData:
    """An engagement without findings as of `as_of(days_to_go_live)`.

    - users: a daily-user group, involved, success and triggers known, a
      resistor (job gets harder) with a planned mitigation linked to a plan item;
    - lead: a people manager of influence 3 (no success definition needed);
    - buyer: a supportive economic buyer, who sponsors.
    """
    today = as_of(days_to_go_live)
    return EngagementData(
        engagement=Engagement(
            id="e1",
            name="Rollout",
            go_live_date=GO_LIVE,
            phase="build",
            opposition_reviewed=True,
            cs_owner_name="Cara Diaz",
            handoff_accepted=True,
            snapshot_dates=(today,),
        ),
        stakeholders=(
            stakeholder(
                "users",
                kind="group",
                role="daily_user",
                influence=2,
                impact=3,
                engagement="supportive",
                involvement=frozenset({"uat"}),
                success_definition="Orders picked without paper.",
                resistance_triggers="Slow scanners.",
                job_gets_harder=True,
                adkar=FULL_ADKAR,
            ),
            stakeholder(
                "lead",
                kind="person",
                role="people_manager",
                group_id=None,
                involvement=frozenset({"design"}),
                engagement="supportive",
                adkar=FULL_ADKAR,
            ),
            stakeholder(
                "buyer",
                kind="person",
                role="economic_buyer",
                influence=5,
                impact=2,
                engagement="supportive",
                involvement=frozenset({"discovery"}),
                success_definition="Cost per order down 10%.",
                resistance_triggers="Budget overrun.",
                adkar=FULL_ADKAR,
            ),
        ),
        resistance_points=(
            point(
                "p1", "users", severity=3, strategy="support", owner="Ana Lima", status="planned"
            ),
        ),
        plan_items=(item("i1", 1, audience_ids=("users",), resistance_point_id="p1"),),
        adoption_targets=(AdoptionTarget("users", 1, 20.0),),
    )


def with_engagement(data: EngagementData, **changes) -> EngagementData:
    return replace(data, engagement=replace(data.engagement, **changes))


def with_stakeholder(data: EngagementData, id: str, **changes) -> EngagementData:
    """`data` with stakeholder `id` changed."""
    return replace(
        data,
        stakeholders=tuple(replace(s, **changes) if s.id == id else s for s in data.stakeholders),
    )


def with_point(data: EngagementData, id: str, **changes) -> EngagementData:
    return replace(
        data,
        resistance_points=tuple(
            replace(p, **changes) if p.id == id else p for p in data.resistance_points
        ),
    )


def with_item(data: EngagementData, id: str, **changes) -> EngagementData:
    return replace(
        data, plan_items=tuple(replace(i, **changes) if i.id == id else i for i in data.plan_items)
    )


def adding(data: EngagementData, *objects) -> EngagementData:
    """`data` with stakeholders, points, plan items or targets appended by type."""
    fields = {
        Stakeholder: "stakeholders",
        ResistancePoint: "resistance_points",
        PlanItem: "plan_items",
        AdoptionTarget: "adoption_targets",
    }
    for obj in objects:
        name = fields[type(obj)]
        data = replace(data, **{name: (*getattr(data, name), obj)})
    return data


def assessed(data: EngagementData, days_to_go_live: int) -> Assessment:
    return assess(data, as_of(days_to_go_live))


def findings_of(data: EngagementData, days_to_go_live: int, code: str) -> list[Finding]:
    return [f for f in assessed(data, days_to_go_live).findings if f.code == code]
