"""Load engagements from the database into the core's plain data.

One function for one engagement or a thousand: it reads each table once for
all of them (a fixed number of queries), so the portfolio costs no more
queries than a single engagement page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from changeready.core import model as core
from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.models import AdoptionTarget, PlanItem


def stakeholder_data(row: Stakeholder) -> core.Stakeholder:
    return core.Stakeholder(
        id=str(row.id),
        name=row.name,
        kind=row.kind,
        role=row.role,
        group_id=str(row.group_id) if row.group_id else None,
        opposed_purchase=row.opposed_purchase,
        influence=row.influence,
        interest=row.interest,
        impact=row.impact,
        engagement=row.engagement_level,
        desired_engagement=row.desired_engagement,
        involvement=frozenset(row.involvement or ()),
        success_definition=row.success_definition,
        resistance_triggers=row.resistance_triggers,
        job_gets_harder=row.job_gets_harder,
        authority_decreases=row.authority_decreases,
        adkar=core.Adkar(**row.adkar),
        headcount=row.headcount,
        is_champion=row.is_champion,
    )


def resistance_point_data(row: ResistancePoint) -> core.ResistancePoint:
    return core.ResistancePoint(
        id=str(row.id),
        stakeholder_id=str(row.stakeholder_id),
        source=row.source,
        severity=row.severity,
        description=row.description,
        strategy=row.strategy or None,
        owner=row.owner,
        due_week=row.due_week,
        status=row.status,
    )


def engagement_fields(row: Engagement, snapshot_dates: Iterable[date] = ()) -> core.Engagement:
    return core.Engagement(
        id=str(row.id),
        name=row.name,
        go_live_date=row.go_live_date,
        phase=row.phase,
        opposition_reviewed=row.opposition_reviewed,
        cs_owner_name=row.cs_owner_name,
        handoff_accepted=row.handoff_accepted_at is not None,
        snapshot_dates=tuple(sorted(snapshot_dates)),
    )


def load_engagement_data(
    engagements: Iterable[Engagement],
    snapshot_dates: Mapping[object, Iterable[date]] | None = None,
) -> dict[str, core.EngagementData]:
    """The core's view of each engagement, keyed by engagement id (as text)."""
    engagements = list(engagements)
    ids = [e.id for e in engagements]
    snapshot_dates = snapshot_dates or {}

    stakeholders = defaultdict(list)
    for row in Stakeholder.objects.filter(engagement_id__in=ids).order_by("created_at", "name"):
        stakeholders[row.engagement_id].append(stakeholder_data(row))
    points = defaultdict(list)
    for row in ResistancePoint.objects.filter(engagement_id__in=ids).order_by("created_at"):
        points[row.engagement_id].append(resistance_point_data(row))
    audiences = defaultdict(list)
    for item_id, stakeholder_id in PlanItem.audience.through.objects.filter(
        planitem__engagement_id__in=ids
    ).values_list("planitem_id", "stakeholder_id"):
        audiences[item_id].append(str(stakeholder_id))
    items = defaultdict(list)
    for row in PlanItem.objects.filter(engagement_id__in=ids).order_by("week", "created_at"):
        items[row.engagement_id].append(
            core.PlanItem(
                id=str(row.id),
                week=row.week,
                title=row.title,
                kind=row.kind,
                owner_role=row.owner_role,
                owner=row.owner,
                audience_ids=tuple(audiences[row.id]),
                adkar_target=row.adkar_target or None,
                resistance_point_id=str(row.resistance_point_id)
                if row.resistance_point_id
                else None,
                status=row.status,
                origin=row.origin,
            )
        )
    targets = defaultdict(list)
    for row in AdoptionTarget.objects.filter(engagement_id__in=ids).order_by("week"):
        targets[row.engagement_id].append(
            core.AdoptionTarget(
                stakeholder_id=str(row.stakeholder_id),
                week=row.week,
                target_pct=row.target_pct,
                actual_pct=row.actual_pct,
            )
        )
    return {
        str(e.id): core.EngagementData(
            engagement=engagement_fields(e, snapshot_dates.get(e.id, ())),
            stakeholders=tuple(stakeholders[e.id]),
            resistance_points=tuple(points[e.id]),
            plan_items=tuple(items[e.id]),
            adoption_targets=tuple(targets[e.id]),
        )
        for e in engagements
    }
