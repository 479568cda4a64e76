"""Builders for the plan tests: small landscapes and the example engagement file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from changeready.core.model import (
    Adkar,
    Engagement,
    EngagementData,
    PlanItem,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.planning import GeneratedItem, GeneratedPlan

EXAMPLE_FILE = (
    Path(__file__).resolve().parents[2] / "engagement_file" / "examples" / "northwind-wms.json"
)


GO_LIVE = date(2027, 4, 5)


def engagement(
    *stakeholders: Stakeholder,
    points: tuple[ResistancePoint, ...] = (),
    plan_items: tuple[PlanItem, ...] = (),
    **fields: Any,
) -> EngagementData:
    """A landscape around an engagement going live on Monday 5 April 2027."""
    return EngagementData(
        engagement=Engagement(id="e1", name="Rollout", go_live_date=GO_LIVE, **fields),
        stakeholders=stakeholders,
        resistance_points=points,
        plan_items=plan_items,
    )


def week_date(week: int, weekday: int = 0) -> date:
    """A day of a plan week (Monday by default) of the fixture engagement."""
    return GO_LIVE + timedelta(weeks=week, days=weekday)


def group(id: str, **fields: Any) -> Stakeholder:
    return Stakeholder(id=id, name=fields.pop("name", id.title()), kind="group", **fields)


def person(id: str, **fields: Any) -> Stakeholder:
    return Stakeholder(id=id, name=fields.pop("name", id.title()), kind="person", **fields)


def point(id: str, stakeholder_id: str, source: str, **fields: Any) -> ResistancePoint:
    return ResistancePoint(
        id=id,
        stakeholder_id=stakeholder_id,
        source=source,
        severity=fields.pop("severity", 3),
        **fields,
    )


def items_of(plan: GeneratedPlan, rule_key: str) -> list[GeneratedItem]:
    return [item for item in plan.items if item.origin == f"generated:{rule_key}"]


def weeks_of(plan: GeneratedPlan, rule_key: str, audience_id: str | None = None) -> list[int]:
    return [
        item.week
        for item in items_of(plan, rule_key)
        if audience_id is None or audience_id in item.audience_ids
    ]


def example_engagement_data() -> EngagementData:
    """The example engagement file as core input: keys become ids."""
    document = json.loads(EXAMPLE_FILE.read_text())
    stakeholders = tuple(_stakeholder(row) for row in document["stakeholders"])
    points = tuple(_resistance_point(row) for row in document["resistance"])
    summary = document["engagement"]
    return EngagementData(
        engagement=Engagement(
            id="northwind",
            name=summary["name"],
            go_live_date=date.fromisoformat(summary["go_live_date"]),
            phase=summary.get("phase", "discovery"),
            opposition_reviewed=summary.get("opposition_reviewed", False),
            kickoff_date=date.fromisoformat(summary["kickoff_date"]),
            renewal_date=date.fromisoformat(summary["renewal_date"]),
            delivery_lead_name=summary["delivery_lead"]["name"],
        ),
        stakeholders=stakeholders,
        resistance_points=points,
    )


_STAKEHOLDER_FIELDS = (
    "kind",
    "role",
    "opposed_purchase",
    "influence",
    "interest",
    "impact",
    "engagement",
    "desired_engagement",
    "success_definition",
    "resistance_triggers",
    "job_gets_harder",
    "authority_decreases",
    "headcount",
    "is_champion",
)


def _stakeholder(row: dict[str, Any]) -> Stakeholder:
    return Stakeholder(
        id=row["key"],
        name=row["name"],
        group_id=row.get("group"),
        involvement=frozenset(row.get("involvement", ())),
        adkar=Adkar(**row.get("adkar", {})),
        **{name: row[name] for name in _STAKEHOLDER_FIELDS if name in row},
    )


def _resistance_point(row: dict[str, Any]) -> ResistancePoint:
    mitigation = row.get("mitigation", {})
    return ResistancePoint(
        id=row["key"],
        stakeholder_id=row["stakeholder"],
        source=row["source"],
        severity=row["severity"],
        description=row.get("description", ""),
        strategy=mitigation.get("strategy"),
        owner=mitigation.get("owner", ""),
        due_week=mitigation.get("due_week"),
        status=mitigation.get("status", "open"),
    )
