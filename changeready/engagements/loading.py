"""The engagement aggregate, loaded into the core's plain data: the one loader.

Every reader of the judgement (the assessment pages and snapshots, the
portfolio, plan regeneration, the playbook, the backup) turns database rows
into `changeready.core.model` through the functions here, so a new field of
the core is read in one place.

`load_engagement_data` reads one engagement or a thousand in a fixed number of
queries (one per table). A caller that already holds model instances (the
playbook) maps them with the same `*_data` functions: each takes any object
with the model's attribute names, an instance or a row read here.

The parts of the aggregate (stakeholders, resistance points, plan items,
adoption targets) are reached through the engagement's relations, so this app
imports no app above it (docs/architecture.md).
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date

from django.db.models import CharField, Model, QuerySet
from django.db.models.functions import Cast

from changeready.core import kpis as core_kpis
from changeready.core import model as core
from changeready.engagements.blackouts import blackout_periods
from changeready.engagements.models import Engagement

STAKEHOLDER_FIELDS = (
    "id",
    "engagement_id",
    "name",
    "kind",
    "role",
    "group_id",
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
    "adkar_assessed_on",
    "adkar_source",
    "headcount",
    "is_champion",
)
RESISTANCE_POINT_FIELDS = (
    "id",
    "engagement_id",
    "stakeholder_id",
    "source",
    "severity",
    "description",
    "strategy",
    "owner",
    "due_week",
    "status",
)
PLAN_ITEM_FIELDS = (
    "id",
    "engagement_id",
    "week",
    "title",
    "kind",
    "owner_role",
    "owner",
    "workstream",
    "format",
    "adkar_target",
    "resistance_point_id",
    "status",
    "origin",
)
ADOPTION_TARGET_FIELDS = ("engagement_id", "stakeholder_id", "week", "target_pct", "actual_pct")
_KpiFields = namedtuple(
    "_KpiFields", "id name unit direction baseline target due_week stakeholder_id"
)
# One row per KPI value, with its KPI's fields: a KPI without values has
# nothing the judgement could find off track, so it need not be read.
KPI_VALUE_FIELDS = (
    "kpi_id",
    "kpi__engagement_id",
    "kpi__name",
    "kpi__unit",
    "kpi__direction",
    "kpi__baseline",
    "kpi__target",
    "kpi__due_week",
    "kpi__stakeholder_id",
    "week",
    "value",
)


def uuid_text(raw) -> str:
    """An id as the text of its UUID, from a UUID or a column read as text.

    SQLite stores a UUID as 32 hex digits, PostgreSQL prints it with hyphens;
    both come out as `str(uuid.UUID(...))` would, without building a UUID.
    """
    raw = str(raw)
    if len(raw) == 32:
        return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return raw


def _optional_id(raw, text: Callable[[object], str]) -> str | None:
    return text(raw) if raw else None


def stakeholder_data(row, text: Callable[[object], str] = uuid_text) -> core.Stakeholder:
    return core.Stakeholder(
        id=text(row.id),
        name=row.name,
        kind=row.kind,
        role=row.role,
        group_id=_optional_id(row.group_id, text),
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
        adkar=core.Adkar(*(getattr(row, f"adkar_{element}") for element in core.ADKAR_ELEMENTS)),
        adkar_assessed_on=row.adkar_assessed_on,
        adkar_source=row.adkar_source,
        headcount=row.headcount,
        is_champion=row.is_champion,
    )


def resistance_point_data(row, text: Callable[[object], str] = uuid_text) -> core.ResistancePoint:
    return core.ResistancePoint(
        id=text(row.id),
        stakeholder_id=text(row.stakeholder_id),
        source=row.source,
        severity=row.severity,
        description=row.description,
        strategy=row.strategy or None,
        owner=row.owner,
        due_week=row.due_week,
        status=row.status,
    )


def plan_item_data(
    row, audience_ids: Iterable[str], text: Callable[[object], str] = uuid_text
) -> core.PlanItem:
    return core.PlanItem(
        id=text(row.id),
        week=row.week,
        title=row.title,
        kind=row.kind,
        owner_role=row.owner_role,
        owner=row.owner,
        workstream=row.workstream,
        format=row.format,
        audience_ids=tuple(audience_ids),
        adkar_target=row.adkar_target or None,
        resistance_point_id=_optional_id(row.resistance_point_id, text),
        status=row.status,
        origin=row.origin,
    )


def adoption_target_data(row, text: Callable[[object], str] = uuid_text) -> core.AdoptionTarget:
    return core.AdoptionTarget(
        stakeholder_id=text(row.stakeholder_id),
        week=row.week,
        target_pct=row.target_pct,
        actual_pct=row.actual_pct,
    )


def kpi_data(row, values, text: Callable[[object], str] = uuid_text) -> core_kpis.Kpi:
    """A KPI from any object with the model's attribute names, and its (week, value) pairs."""
    return core_kpis.Kpi(
        id=text(row.id),
        name=row.name,
        unit=row.unit,
        direction=row.direction,
        baseline=row.baseline,
        target=row.target,
        due_week=row.due_week,
        stakeholder_id=_optional_id(row.stakeholder_id, text),
        values=tuple(core_kpis.KpiValue(week, value) for week, value in values),
    )


def _kpis_of_value_rows(rows, text: Callable[[object], str]) -> list[core_kpis.Kpi]:
    """KPIs from value rows (`KPI_VALUE_FIELDS`), ordered by KPI, then week."""
    kpis: dict = {}
    values = defaultdict(list)
    for row in rows:
        kpis.setdefault(
            row.kpi_id,
            _KpiFields(
                row.kpi_id,
                row.kpi__name,
                row.kpi__unit,
                row.kpi__direction,
                row.kpi__baseline,
                row.kpi__target,
                row.kpi__due_week,
                row.kpi__stakeholder_id,
            ),
        )
        values[row.kpi_id].append((row.week, row.value))
    return [kpi_data(fields, values[kpi_id], text) for kpi_id, fields in kpis.items()]


def engagement_fields(row: Engagement, snapshot_dates: Iterable[date] = ()) -> core.Engagement:
    return core.Engagement(
        id=str(row.id),
        name=row.name,
        go_live_date=row.go_live_date,
        phase=row.phase,
        opposition_reviewed=row.opposition_reviewed,
        kickoff_date=row.kickoff_date,
        renewal_date=row.renewal_date,
        delivery_lead_name=row.delivery_lead_name,
        cs_owner_name=row.cs_owner_name,
        adoption_mode=row.adoption_mode,
        blackout_periods=blackout_periods(row.blackout_periods),
        handoff_accepted=row.handoff_accepted_at is not None,
        snapshot_dates=tuple(sorted(snapshot_dates)),
    )


def _part(relation: str) -> type[Model]:
    """The model of one part of the aggregate, by the engagement's relation to it."""
    return Engagement._meta.get_field(relation).related_model


def _rows(queryset: QuerySet, fields: Iterable[str]) -> Iterator:
    """The rows as tuples named like the model's attributes, ids read as text.

    At portfolio scale (a thousand engagements, thirty thousand stakeholders)
    model instances and UUID objects cost seconds, tuples a fraction of that.
    """
    fields = tuple(fields)
    row_type = namedtuple(f"{queryset.model.__name__}Row", fields)
    columns = [
        Cast(name, output_field=CharField()) if name == "id" or name.endswith("_id") else name
        for name in fields
    ]
    return map(row_type._make, queryset.values_list(*columns))


def load_engagement_data(
    engagements: Iterable[Engagement],
    snapshot_dates: Mapping[object, Iterable[date]] | None = None,
    *,
    with_plan: bool = True,
) -> dict[str, core.EngagementData]:
    """The core's view of each engagement, keyed by engagement id (as text).

    One query per table whatever the number of engagements. Without the plan
    (`with_plan=False`, what plan generation reads) the plan items, adoption
    targets and KPIs are left out and not queried.
    """
    engagements = list(engagements)
    ids = [e.id for e in engagements]
    snapshot_dates = snapshot_dates or {}
    # The same engagement and stakeholder ids recur on many rows: convert each once.
    texts: dict = {}

    def text(raw) -> str:
        converted = texts.get(raw)
        if converted is None:
            converted = texts[raw] = uuid_text(raw)
        return converted

    def by_engagement(relation: str, fields, order: tuple[str, ...]) -> Iterator:
        queryset = _part(relation).objects.filter(engagement_id__in=ids).order_by(*order)
        return _rows(queryset, fields)

    stakeholders = defaultdict(list)
    for row in by_engagement("stakeholders", STAKEHOLDER_FIELDS, ("created_at", "name")):
        stakeholders[text(row.engagement_id)].append(stakeholder_data(row, text))
    points = defaultdict(list)
    for row in by_engagement("resistance_points", RESISTANCE_POINT_FIELDS, ("created_at",)):
        points[text(row.engagement_id)].append(resistance_point_data(row, text))
    items = defaultdict(list)
    targets = defaultdict(list)
    kpis: dict[str, list] = {}
    if with_plan:
        plan_item = _part("plan_items")
        audiences = defaultdict(list)
        links = plan_item.audience.through.objects.filter(planitem__engagement_id__in=ids)
        for link in _rows(links, ("planitem_id", "stakeholder_id")):
            audiences[text(link.planitem_id)].append(text(link.stakeholder_id))
        for row in by_engagement("plan_items", PLAN_ITEM_FIELDS, ("week", "created_at")):
            items[text(row.engagement_id)].append(
                plan_item_data(row, audiences[text(row.id)], text)
            )
        for row in by_engagement("adoption_targets", ADOPTION_TARGET_FIELDS, ("week",)):
            targets[text(row.engagement_id)].append(adoption_target_data(row, text))
        kpi_value = _part("kpis").values.rel.related_model
        value_rows = defaultdict(list)
        for row in _rows(
            kpi_value.objects.filter(kpi__engagement_id__in=ids).order_by(
                "kpi__created_at", "kpi_id", "week"
            ),
            KPI_VALUE_FIELDS,
        ):
            value_rows[text(row.kpi__engagement_id)].append(row)
        kpis = {key: _kpis_of_value_rows(rows, text) for key, rows in value_rows.items()}
    result = {}
    for engagement in engagements:
        key = str(engagement.id)
        result[key] = core.EngagementData(
            engagement=engagement_fields(engagement, snapshot_dates.get(engagement.id, ())),
            stakeholders=tuple(stakeholders[key]),
            resistance_points=tuple(points[key]),
            plan_items=tuple(items[key]),
            adoption_targets=tuple(targets[key]),
            kpis=tuple(kpis.get(key, ())),
        )
    return result
