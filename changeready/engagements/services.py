"""Writes for engagements. Web views and the API both call these."""

from __future__ import annotations

import itertools
import threading

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from changeready.activity.services import field_changes, record_activity, stored_values
from changeready.common.concurrency import save_versioned
from changeready.engagements.models import Engagement

# Sent once after a transaction that changed an engagement's data commits
# (`engagement_id`): the assessment app refreshes today's snapshot from it.
engagement_data_committed = Signal()

# The changes of this thread, numbered. A bulk write (an import of 500
# stakeholders) reports each change, and each schedules a callback for after
# the commit; the first of them that runs covers every change made so far,
# so the others do nothing. Numbering the changes instead of asking whether
# this transaction already scheduled one keeps to Django's public API, and
# stays right when a transaction or a savepoint rolls back: its callbacks
# are dropped, the callbacks that do run still cover the committed changes.
_changes = threading.local()


def _change_log():
    if not hasattr(_changes, "numbers"):
        _changes.numbers = itertools.count(1)
        _changes.latest = {}  # engagement id → number of its latest change
        _changes.covered = {}  # engagement id → latest change already reported
    return _changes


def engagement_changed(engagement: Engagement) -> None:
    """Every write to an engagement's data ends here.

    It is the one place that reacts to a change of an engagement, so no write
    path can forget: the engagement is marked as updated and, once the
    transaction commits, `engagement_data_committed` is sent, once for all
    the changes the transaction made.
    """
    Engagement.objects.filter(pk=engagement.pk).update(updated_at=timezone.now())
    log = _change_log()
    engagement_id = engagement.pk
    change = next(log.numbers)
    log.latest[engagement_id] = change

    def report_change():
        if log.covered.get(engagement_id, 0) >= change:
            return
        log.covered[engagement_id] = log.latest[engagement_id]
        engagement_data_committed.send(sender=Engagement, engagement_id=engagement_id)

    transaction.on_commit(report_change)


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


def lock_engagement(engagement: Engagement) -> None:
    """Take the engagement's row lock, inside the caller's transaction.

    The first lock of every write that also locks rows hanging off the
    engagement (its plan state): one order for all of them, so two such
    writes queue instead of deadlocking.
    """
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()


@transaction.atomic
def create_engagement(
    *, workspace, actor=None, activity_verb: str = "created", **fields
) -> Engagement:
    """`activity_verb` says how the history names the creation ("imported" for a file)."""
    engagement = Engagement(workspace=workspace, **fields)
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
