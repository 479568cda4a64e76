"""Export an engagement as an engagement file (the JSON Schema beside this module).

Optional values that are absent are left out rather than written as null
(the schema allows no nulls). Keys are derived stably: a stakeholder's key is
its slugified name (made unique), resistance points are `r1`, `r2`, … in the
register's order. Lists keep the order they were created in, which the
importer preserves, so export → import → export gives the same document.
"""

from __future__ import annotations

import math

from django.db.models import Prefetch
from django.utils.text import slugify

from changeready.core.model import ADKAR_ELEMENTS
from changeready.engagement_file.schema import FORMAT
from changeready.engagements.mapping import engagement_data
from changeready.engagements.models import Engagement
from changeready.landscape.mapping import resistance_data, stakeholder_data
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.models import AdoptionTarget, PlanItem
from changeready.usage.models import Kpi, KpiValue

KEY_LENGTH = 64


def _compact(data: dict) -> dict:
    """Leave out absent values: None, empty strings and empty objects."""
    return {key: value for key, value in data.items() if value not in (None, "", {})}


def _stakeholder_keys(stakeholders: list[Stakeholder]) -> dict:
    keys: dict = {}
    used: set[str] = set()
    for position, stakeholder in enumerate(stakeholders, start=1):
        base = slugify(stakeholder.name)[: KEY_LENGTH - 4] or f"s{position}"
        key, suffix = base, 2
        while key in used:
            key = f"{base}-{suffix}"
            suffix += 1
        used.add(key)
        keys[stakeholder.id] = key
    return keys


def _adkar(stakeholder: Stakeholder) -> dict:
    # The file holds whole levels; a pulse survey's mean is rounded half up
    # (2.5 -> 3), not to even as round() would.
    return {
        element: math.floor(value + 0.5)
        for element, value in stakeholder.adkar_shown.items()
        if value is not None and element in ADKAR_ELEMENTS
    }


def _engagement_section(engagement: Engagement) -> dict:
    data = engagement_data(engagement)
    for contact in ("delivery_lead", "cs_owner"):
        if data[contact] is not None:
            data[contact] = _compact(data[contact])
            if "name" not in data[contact]:
                # The schema needs a name; an email alone cannot be carried.
                data[contact] = None
    for field in ("kickoff_date", "go_live_date", "renewal_date"):
        if data[field] is not None:
            data[field] = data[field].isoformat()
    if data["handoff_accepted_at"] is not None:
        data["handoff_accepted_at"] = data["handoff_accepted_at"].isoformat()
    # No blackout period is an absent value, like an empty text.
    data["blackout_periods"] = data["blackout_periods"] or None
    return _compact(data)


def _stakeholder_section(stakeholder: Stakeholder, keys: dict) -> dict:
    data = stakeholder_data(stakeholder)
    data["adkar"] = _adkar(stakeholder)
    data["group"] = keys.get(stakeholder.group_id)
    if stakeholder.kind != "group":
        data["headcount"] = None
    if data["adkar_assessed_on"] is not None:
        data["adkar_assessed_on"] = data["adkar_assessed_on"].isoformat()
    if data["adkar_source"] == "estimated":
        data["adkar_source"] = None  # the default, as in files written before it existed
    return {"key": keys[stakeholder.id], **_compact(data)}


def _resistance_section(point: ResistancePoint, key: str, stakeholder_keys: dict) -> dict:
    data = resistance_data(point)
    mitigation = _compact(data.pop("mitigation"))
    if mitigation == {"status": "open"}:
        mitigation = {}
    return {
        "key": key,
        "stakeholder": stakeholder_keys[point.stakeholder_id],
        **_compact(data),
        **({"mitigation": mitigation} if mitigation else {}),
    }


def _plan_item_section(
    item: PlanItem, stakeholder_keys: dict, point_keys: dict, position: dict
) -> dict:
    audience = [
        stakeholder_keys[s.id]
        for s in sorted(item.audience.all(), key=lambda stakeholder: position[stakeholder.id])
    ]
    data = {
        "week": item.week,
        "title": item.title,
        "description": item.description,
        "kind": item.kind,
        "owner_role": item.owner_role,
        "owner": item.owner,
        "workstream": item.workstream,
        "format": item.format,
        "audience": audience,
        "adkar_target": item.adkar_target,
        "resistance_point": point_keys.get(item.resistance_point_id),
        "status": item.status,
        "origin": item.origin,
    }
    compact = _compact(data)
    compact["audience"] = audience
    return compact


def export_engagement(engagement: Engagement) -> dict:
    """The engagement as an engagement-file document (a dict ready for json.dumps)."""
    stakeholders = list(
        Stakeholder.objects.filter(engagement=engagement).order_by("created_at", "name", "id")
    )
    stakeholder_keys = _stakeholder_keys(stakeholders)
    points = list(
        ResistancePoint.objects.filter(engagement=engagement).order_by("created_at", "id")
    )
    point_keys = {point.id: f"r{position}" for position, point in enumerate(points, start=1)}
    items = PlanItem.objects.filter(engagement=engagement).order_by("week", "created_at", "id")
    items = items.prefetch_related(Prefetch("audience", queryset=Stakeholder.objects.only("id")))
    position = {stakeholder.id: index for index, stakeholder in enumerate(stakeholders)}
    targets = sorted(
        AdoptionTarget.objects.filter(engagement=engagement),
        key=lambda target: (position[target.stakeholder_id], target.week),
    )

    kpis = Kpi.objects.filter(engagement=engagement).order_by("created_at", "id")
    kpis = kpis.prefetch_related(Prefetch("values", queryset=KpiValue.objects.order_by("week")))
    document = {
        "format": FORMAT,
        "engagement": _engagement_section(engagement),
        "stakeholders": [_stakeholder_section(s, stakeholder_keys) for s in stakeholders],
        "resistance": [
            _resistance_section(point, point_keys[point.id], stakeholder_keys) for point in points
        ],
        "plan": {
            "first_week": engagement.plan_first_week,
            "last_week": engagement.plan_last_week,
            "items": [
                _plan_item_section(item, stakeholder_keys, point_keys, position) for item in items
            ],
            "adoption_targets": [
                _compact(
                    {
                        "stakeholder": stakeholder_keys[target.stakeholder_id],
                        "week": target.week,
                        "target_pct": target.target_pct,
                        "actual_pct": target.actual_pct,
                        "actual_source": target.actual_source or None,
                        "source": target.source,
                    }
                )
                for target in targets
            ],
            "kpis": [_kpi_section(kpi, stakeholder_keys) for kpi in kpis],
        },
    }
    return document


def _kpi_section(kpi: Kpi, stakeholder_keys: dict) -> dict:
    # Computed KPIs travel with their values: the events stay behind.
    return _compact(
        {
            "name": kpi.name,
            "stakeholder": stakeholder_keys.get(kpi.stakeholder_id),
            "unit": kpi.unit,
            "direction": kpi.direction,
            "baseline": kpi.baseline,
            "target": kpi.target,
            "due_week": kpi.due_week,
            "values": [{"week": v.week, "value": v.value} for v in kpi.values.all()],
        }
    )
