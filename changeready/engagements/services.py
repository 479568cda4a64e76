"""Writes for engagements. Web views and the API both call these."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from changeready.activity.services import field_changes, record_activity, stored_values
from changeready.common.concurrency import save_versioned
from changeready.engagements.models import Engagement


def engagement_changed(engagement: Engagement) -> None:
    """Every write to an engagement's data ends here.

    It is the one place that reacts to a change of an engagement, so no write
    path can forget: the engagement is marked as updated and, once the
    transaction commits, today's assessment snapshot is refreshed. A bulk
    write (an import of 500 stakeholders) schedules that refresh once.
    """
    Engagement.objects.filter(pk=engagement.pk).update(updated_at=timezone.now())
    connection = transaction.get_connection()
    already_scheduled = any(
        getattr(callback, "changed_engagement_id", None) == engagement.pk
        for _, callback, _ in connection.run_on_commit
    )
    if already_scheduled:
        return

    def refresh_snapshot():
        from changeready.assessment.services import record_snapshot

        record_snapshot(engagement.pk)

    refresh_snapshot.changed_engagement_id = engagement.pk
    transaction.on_commit(refresh_snapshot)


def _record(engagement: Engagement, actor, verb: str, changes=None) -> None:
    record_activity(
        engagement,
        actor=actor,
        verb=verb,
        obj_type="engagement",
        obj_id=engagement.id,
        label=engagement.name,
        changes=changes,
    )


@transaction.atomic
def create_engagement(
    *, workspace, actor=None, activity_verb: str = "created", **fields
) -> Engagement:
    """`activity_verb` says how the history names the creation ("imported" for a file)."""
    engagement = Engagement(workspace=workspace, **fields)
    engagement.plan_first_week = workspace.plan_first_week
    engagement.plan_last_week = workspace.plan_last_week
    save_versioned(engagement, None)
    engagement_changed(engagement)
    _record(engagement, actor, activity_verb)
    return engagement


@transaction.atomic
def update_engagement(
    engagement: Engagement, *, expected_version: int | None, actor=None, **changes
) -> Engagement:
    before = stored_values(engagement, changes)
    for field, value in changes.items():
        setattr(engagement, field, value)
    save_versioned(engagement, expected_version)
    engagement_changed(engagement)
    changed = field_changes(engagement, before)
    if changed:
        _record(engagement, actor, "updated", changed)
    return engagement


@transaction.atomic
def delete_engagement(engagement: Engagement, *, actor=None) -> None:
    engagement_id = engagement.id
    engagement.delete()
    # The engagement's history goes with it; the deletion itself stays in the workspace.
    record_activity(
        engagement,
        actor=actor,
        verb="deleted",
        obj_type="engagement",
        obj_id=engagement_id,
        label=engagement.name,
    )
