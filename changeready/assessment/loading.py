"""Load engagements from the database into the core's plain data.

One function for one engagement or a thousand: it reads each table once for
all of them (a fixed number of queries), so the portfolio costs no more
queries than a single engagement page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models import CharField
from django.db.models.functions import Cast

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


def uuid_text(raw) -> str:
    """An id as the text of its UUID, from a column read as text.

    SQLite stores a UUID as 32 hex digits, PostgreSQL prints it with hyphens;
    both come out as `str(uuid.UUID(...))` would, without building a UUID.
    """
    raw = str(raw)
    if len(raw) == 32:
        return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return raw


def _text(field: str):
    return Cast(field, output_field=CharField())


def load_engagement_data(
    engagements: Iterable[Engagement],
    snapshot_dates: Mapping[object, Iterable[date]] | None = None,
) -> dict[str, core.EngagementData]:
    """The core's view of each engagement, keyed by engagement id (as text).

    Reads only the columns the core needs, as tuples, with ids read as text:
    at portfolio scale (a thousand engagements, thirty thousand stakeholders)
    model instances and UUID objects cost seconds, tuples a fraction of that.
    """
    engagements = list(engagements)
    ids = [e.id for e in engagements]
    snapshot_dates = snapshot_dates or {}
    # The same engagement and stakeholder ids recur on many rows: convert each once.
    texts: dict = {}

    def text_of(raw) -> str:
        text = texts.get(raw)
        if text is None:
            text = texts[raw] = uuid_text(raw)
        return text

    stakeholders = defaultdict(list)
    rows = (
        Stakeholder.objects.filter(engagement_id__in=ids)
        .order_by("created_at", "name")
        .values_list(
            _text("engagement_id"),
            _text("id"),
            "name",
            "kind",
            "role",
            _text("group_id"),
            "opposed_purchase",
            "influence",
            "interest",
            "impact",
            "engagement_level",
            "desired_engagement",
            "involvement",
            "success_definition",
            "resistance_triggers",
            "job_gets_harder",
            "authority_decreases",
            *(f"adkar_{element}" for element in core.ADKAR_ELEMENTS),
            "headcount",
            "is_champion",
        )
    )
    for row in rows:
        stakeholders[text_of(row[0])].append(
            core.Stakeholder(
                id=text_of(row[1]),
                name=row[2],
                kind=row[3],
                role=row[4],
                group_id=text_of(row[5]) if row[5] else None,
                opposed_purchase=row[6],
                influence=row[7],
                interest=row[8],
                impact=row[9],
                engagement=row[10],
                desired_engagement=row[11],
                involvement=frozenset(row[12] or ()),
                success_definition=row[13],
                resistance_triggers=row[14],
                job_gets_harder=row[15],
                authority_decreases=row[16],
                adkar=core.Adkar(*row[17:22]),
                headcount=row[22],
                is_champion=row[23],
            )
        )
    points = defaultdict(list)
    rows = (
        ResistancePoint.objects.filter(engagement_id__in=ids)
        .order_by("created_at")
        .values_list(
            _text("engagement_id"),
            _text("id"),
            _text("stakeholder_id"),
            "source",
            "severity",
            "description",
            "strategy",
            "owner",
            "due_week",
            "status",
        )
    )
    for engagement_id, *fields in rows:
        points[text_of(engagement_id)].append(
            core.ResistancePoint(
                id=text_of(fields[0]),
                stakeholder_id=text_of(fields[1]),
                source=fields[2],
                severity=fields[3],
                description=fields[4],
                strategy=fields[5] or None,
                owner=fields[6],
                due_week=fields[7],
                status=fields[8],
            )
        )
    audiences = defaultdict(list)
    rows = PlanItem.audience.through.objects.filter(planitem__engagement_id__in=ids).values_list(
        _text("planitem_id"), _text("stakeholder_id")
    )
    for item_id, stakeholder_id in rows:
        audiences[text_of(item_id)].append(text_of(stakeholder_id))
    items = defaultdict(list)
    rows = (
        PlanItem.objects.filter(engagement_id__in=ids)
        .order_by("week", "created_at")
        .values_list(
            _text("engagement_id"),
            _text("id"),
            "week",
            "title",
            "kind",
            "owner_role",
            "owner",
            "adkar_target",
            _text("resistance_point_id"),
            "status",
            "origin",
        )
    )
    for engagement_id, item_id, *fields in rows:
        item_id = text_of(item_id)
        items[text_of(engagement_id)].append(
            core.PlanItem(
                id=item_id,
                week=fields[0],
                title=fields[1],
                kind=fields[2],
                owner_role=fields[3],
                owner=fields[4],
                audience_ids=tuple(audiences[item_id]),
                adkar_target=fields[5] or None,
                resistance_point_id=text_of(fields[6]) if fields[6] else None,
                status=fields[7],
                origin=fields[8],
            )
        )
    targets = defaultdict(list)
    rows = (
        AdoptionTarget.objects.filter(engagement_id__in=ids)
        .order_by("week")
        .values_list(
            _text("engagement_id"), _text("stakeholder_id"), "week", "target_pct", "actual_pct"
        )
    )
    for engagement_id, stakeholder_id, week, target_pct, actual_pct in rows:
        targets[text_of(engagement_id)].append(
            core.AdoptionTarget(
                stakeholder_id=text_of(stakeholder_id),
                week=week,
                target_pct=target_pct,
                actual_pct=actual_pct,
            )
        )
    result = {}
    for e in engagements:
        key = str(e.id)
        result[key] = core.EngagementData(
            engagement=engagement_fields(e, snapshot_dates.get(e.id, ())),
            stakeholders=tuple(stakeholders[key]),
            resistance_points=tuple(points[key]),
            plan_items=tuple(items[key]),
            adoption_targets=tuple(targets[key]),
        )
    return result
