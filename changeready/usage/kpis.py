"""Writing outcome KPIs: create, change, delete, and their typed weekly values.

A KPI's `direction` follows the sign of target - baseline; a direction that
contradicts it is refused, and one given without a baseline (or with target =
baseline) is kept. A computed KPI's values come from the usage events and are
recomputed whenever what it measures changes; only typed KPIs take values.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from changeready.activity.services import field_changes, record_activity, stored_values
from changeready.common.concurrency import EditConflict, save_versioned
from changeready.core.kpis import direction_problem, implied_direction
from changeready.core.rules import MAX_WEEK, MIN_WEEK
from changeready.engagements.services import engagement_changed
from changeready.usage import rollups
from changeready.usage.models import Kpi, KpiValue, UsageState

MAX_VALUES = 520
EDITABLE_FIELDS = (
    "name",
    "stakeholder",
    "unit",
    "direction",
    "baseline",
    "target",
    "due_week",
    "measure",
    "event",
    "property_name",
)
# What a computed KPI's values depend on: a change recomputes them from scratch.
MEASURE_FIELDS = ("measure", "event", "property_name")


def _check(kpi: Kpi, direction_given: str | None) -> None:
    errors = {}
    problem = direction_problem(kpi.baseline, kpi.target, direction_given)
    if problem:
        errors["direction"] = problem
    kpi.direction = (
        direction_given
        or implied_direction(kpi.baseline, kpi.target)
        or (kpi.direction or "increase")
    )
    if kpi.measure != "typed" and not kpi.event.strip():
        errors["event"] = "Name the event this KPI is computed from."
    if kpi.measure == "property_sum" and not kpi.property_name.strip():
        errors["property_name"] = "Name the numeric property to sum, e.g. amount."
    if kpi.measure == "typed":
        kpi.event = kpi.property_name = ""
    elif kpi.measure == "event_count":
        kpi.property_name = ""
    if kpi.due_week is not None and not MIN_WEEK <= kpi.due_week <= MAX_WEEK:
        errors["due_week"] = f"The due week must be from {MIN_WEEK} to {MAX_WEEK}."
    if errors:
        raise ValidationError(errors)


def _clean_values(kpi: Kpi, values) -> dict[int, float]:
    if values is None:
        return None
    if kpi.is_computed and values:
        raise ValidationError(
            {"values": "This KPI is computed from usage events: values are not typed."}
        )
    if len(values) > MAX_VALUES:
        raise ValidationError({"values": f"At most {MAX_VALUES} values."})
    cleaned = {}
    for entry in values:
        week, value = int(entry["week"]), float(entry["value"])
        if not MIN_WEEK <= week <= MAX_WEEK:
            raise ValidationError({"values": f"Week {week} is outside {MIN_WEEK} to {MAX_WEEK}."})
        if week in cleaned:
            raise ValidationError({"values": f"Week {week} has two values."})
        cleaned[week] = value
    return cleaned


def _store_values(kpi: Kpi, values: dict[int, float]) -> None:
    kpi.values.all().delete()
    KpiValue.objects.bulk_create(
        [KpiValue(kpi=kpi, week=w, value=v) for w, v in sorted(values.items())]
    )


def _recompute(kpi: Kpi) -> None:
    kpi.values.all().delete()
    state = UsageState.objects.filter(engagement=kpi.engagement).first()
    rollups.refresh_kpi(kpi, state, rollups.today_local())


def _record(kpi: Kpi, actor, verb: str, changes=None, *, kpi_id=None) -> None:
    record_activity(
        kpi.engagement,
        actor=actor,
        verb=verb,
        obj_type="kpi",
        obj_id=kpi_id or kpi.id,
        label=kpi.name,
        changes=changes,
    )


@transaction.atomic
def create_kpi(engagement, *, values=None, actor=None, **fields) -> Kpi:
    direction = fields.pop("direction", None) or None
    fields.setdefault("measure", "typed")
    kpi = Kpi(engagement=engagement, **fields)
    _check(kpi, direction)
    cleaned = _clean_values(kpi, values)
    save_versioned(kpi, None)
    if kpi.is_computed:
        _recompute(kpi)
    elif cleaned:
        _store_values(kpi, cleaned)
    engagement_changed(engagement)
    _record(kpi, actor, "created")
    return kpi


@transaction.atomic
def update_kpi(
    kpi: Kpi, *, expected_version: int | None, values=None, actor=None, **changes
) -> Kpi:
    before = stored_values(kpi, EDITABLE_FIELDS)
    measure_before = tuple(getattr(kpi, name) for name in MEASURE_FIELDS)
    direction = changes.pop("direction", None) or None
    for name, value in changes.items():
        setattr(kpi, name, value)
    _check(kpi, direction)
    cleaned = _clean_values(kpi, values)
    save_versioned(kpi, expected_version)
    if kpi.is_computed and (tuple(getattr(kpi, name) for name in MEASURE_FIELDS) != measure_before):
        _recompute(kpi)
    elif not kpi.is_computed and measure_before[0] != "typed":
        kpi.values.all().delete()
    if cleaned is not None and not kpi.is_computed:
        _store_values(kpi, cleaned)
    engagement_changed(kpi.engagement)
    changes = field_changes(kpi, before)
    if changes or cleaned is not None:
        _record(kpi, actor, "updated", changes or None)
    return kpi


@transaction.atomic
def set_value(kpi: Kpi, week: int, value: float | None, *, actor=None) -> None:
    """Type one week's value of a typed KPI (None removes it)."""
    if kpi.is_computed:
        raise ValidationError({"value": "This KPI is computed from usage events."})
    if not MIN_WEEK <= week <= MAX_WEEK:
        raise ValidationError({"week": f"The week must be from {MIN_WEEK} to {MAX_WEEK}."})
    if value is None:
        kpi.values.filter(week=week).delete()
    else:
        KpiValue.objects.update_or_create(kpi=kpi, week=week, defaults={"value": value})
    engagement_changed(kpi.engagement)
    _record(kpi, actor, "updated", {"week " + str(week): [None, value]})


@transaction.atomic
def delete_kpi(kpi: Kpi, *, expected_version: int | None = None, actor=None) -> None:
    current = Kpi.objects.select_for_update().get(pk=kpi.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    kpi_id = kpi.id
    engagement = kpi.engagement
    kpi.delete()
    kpi.engagement = engagement
    engagement_changed(engagement)
    _record(kpi, actor, "deleted", kpi_id=kpi_id)
