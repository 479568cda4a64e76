"""Writes for the stakeholder landscape and the resistor register.

The web views and the API both call these, so validation (the models'
`full_clean`), concurrency checks and change tracking happen in one place.
"""

from __future__ import annotations

from django.db import transaction

from changeready.common.concurrency import save_versioned
from changeready.engagements.services import engagement_changed
from changeready.landscape.models import ResistancePoint, Stakeholder


def _apply(instance, changes: dict) -> None:
    for field, value in changes.items():
        setattr(instance, field, value)


@transaction.atomic
def create_stakeholder(engagement, **fields) -> Stakeholder:
    stakeholder = Stakeholder(engagement=engagement, **fields)
    save_versioned(stakeholder, None)
    engagement_changed(engagement)
    return stakeholder


@transaction.atomic
def update_stakeholder(
    stakeholder: Stakeholder, *, expected_version: int | None, **changes
) -> Stakeholder:
    _apply(stakeholder, changes)
    save_versioned(stakeholder, expected_version)
    engagement_changed(stakeholder.engagement)
    return stakeholder


@transaction.atomic
def delete_stakeholder(stakeholder: Stakeholder) -> None:
    engagement = stakeholder.engagement
    stakeholder.delete()
    engagement_changed(engagement)


@transaction.atomic
def create_resistance_point(engagement, **fields) -> ResistancePoint:
    point = ResistancePoint(engagement=engagement, **fields)
    save_versioned(point, None)
    engagement_changed(engagement)
    return point


@transaction.atomic
def update_resistance_point(
    point: ResistancePoint, *, expected_version: int | None, **changes
) -> ResistancePoint:
    _apply(point, changes)
    save_versioned(point, expected_version)
    engagement_changed(point.engagement)
    return point


@transaction.atomic
def delete_resistance_point(point: ResistancePoint) -> None:
    engagement = point.engagement
    point.delete()
    engagement_changed(engagement)
