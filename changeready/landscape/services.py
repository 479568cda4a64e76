"""Writes for the stakeholder landscape and the resistor register.

The web views and the API both call these, so validation (the models'
`full_clean`), concurrency checks and change tracking happen in one place.
"""

from __future__ import annotations

from django.db import transaction

from changeready.common.concurrency import save_versioned
from changeready.engagements.services import engagement_changed
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.portfolio.activity import field_changes, record_activity, stored_values


def _apply(instance, changes: dict) -> dict:
    """Set the changes on the instance; return the stored values they replace."""
    before = stored_values(instance, changes)
    for field, value in changes.items():
        setattr(instance, field, value)
    return before


def _record(engagement, instance, obj_type: str, actor, verb: str, changes=None) -> None:
    if verb == "updated" and not changes:
        return
    record_activity(
        engagement,
        actor=actor,
        verb=verb,
        obj_type=obj_type,
        obj_id=instance.id,
        label=str(instance),
        changes=changes,
    )


@transaction.atomic
def create_stakeholder(engagement, *, actor=None, **fields) -> Stakeholder:
    stakeholder = Stakeholder(engagement=engagement, **fields)
    save_versioned(stakeholder, None)
    engagement_changed(engagement)
    _record(engagement, stakeholder, "stakeholder", actor, "created")
    return stakeholder


@transaction.atomic
def update_stakeholder(
    stakeholder: Stakeholder, *, expected_version: int | None, actor=None, **changes
) -> Stakeholder:
    before = _apply(stakeholder, changes)
    save_versioned(stakeholder, expected_version)
    engagement_changed(stakeholder.engagement)
    changed = field_changes(stakeholder, before)
    _record(stakeholder.engagement, stakeholder, "stakeholder", actor, "updated", changed)
    return stakeholder


@transaction.atomic
def delete_stakeholder(stakeholder: Stakeholder, *, actor=None) -> None:
    engagement = stakeholder.engagement
    stakeholder_id, label = stakeholder.id, str(stakeholder)
    stakeholder.delete()
    engagement_changed(engagement)
    record_activity(
        engagement,
        actor=actor,
        verb="deleted",
        obj_type="stakeholder",
        obj_id=stakeholder_id,
        label=label,
    )


@transaction.atomic
def create_resistance_point(engagement, *, actor=None, **fields) -> ResistancePoint:
    point = ResistancePoint(engagement=engagement, **fields)
    save_versioned(point, None)
    engagement_changed(engagement)
    _record(engagement, point, "resistance_point", actor, "created")
    return point


@transaction.atomic
def update_resistance_point(
    point: ResistancePoint, *, expected_version: int | None, actor=None, **changes
) -> ResistancePoint:
    before = _apply(point, changes)
    save_versioned(point, expected_version)
    engagement_changed(point.engagement)
    changed = field_changes(point, before)
    _record(point.engagement, point, "resistance_point", actor, "updated", changed)
    return point


@transaction.atomic
def delete_resistance_point(point: ResistancePoint, *, actor=None) -> None:
    engagement = point.engagement
    point_id, label = point.id, str(point)
    point.delete()
    engagement_changed(engagement)
    record_activity(
        engagement,
        actor=actor,
        verb="deleted",
        obj_type="resistance_point",
        obj_id=point_id,
        label=label,
    )
