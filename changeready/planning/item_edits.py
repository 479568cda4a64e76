"""Hand edits to plan items: add, change, move, mark progress, delete.

Every write ends in `engagement_changed`, so the assessment snapshot follows
the plan.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changeready.activity.services import (
    actor_label,
    field_changes,
    record_activity,
    stored_values,
)
from changeready.common.concurrency import EditConflict, save_versioned
from changeready.engagements.models import Engagement
from changeready.engagements.services import engagement_changed
from changeready.planning.models import PlanItem
from changeready.planning.plan_state import plan_state, record_plan_activity


def _audience(engagement: Engagement, stakeholders: Iterable) -> list:
    """The given stakeholders (objects or ids), refused unless all belong to the engagement."""
    ids = {str(getattr(s, "pk", s)) for s in stakeholders}
    found = list(engagement.stakeholders.filter(id__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"audience": "Every audience member must be a stakeholder here."})
    return found


def _resolve_resistance_point(engagement: Engagement, fields: dict) -> None:
    """Accept a resistance point or its id; refuse one of another engagement."""
    if "resistance_point" not in fields:
        return
    if fields["resistance_point"] in (None, ""):
        fields["resistance_point"] = None
        return
    point_id = getattr(fields["resistance_point"], "pk", fields["resistance_point"])
    try:
        found = engagement.resistance_points.filter(id=point_id).first()
    except ValidationError:
        found = None
    if found is None:
        raise ValidationError(
            {"resistance_point": "The resistance point must belong to this engagement."}
        )
    fields["resistance_point"] = found


def _check_week(engagement: Engagement, week: int) -> None:
    problem = engagement.week_outside_plan(week)
    if problem:
        raise ValidationError({"week": problem})


def _record_item(
    item: PlanItem, actor, verb: str, changes=None, *, item_id=None, actor_name=None
) -> None:
    record_activity(
        item.engagement,
        actor=actor,
        verb=verb,
        obj_type="plan_item",
        obj_id=item_id or item.id,
        label=item.title,
        changes=changes,
        actor_name=actor_name,
    )


def _note_who_did_it(item: PlanItem, new_status: str, actor, actor_name) -> None:
    """Remember who marked the item done (cleared when it is reopened or skipped)."""
    if new_status == item.status:
        return
    if new_status == "done":
        item.done_by = actor_name or (actor_label(actor) if actor is not None else "")
        item.done_at = timezone.now()
    else:
        item.done_by, item.done_at = "", None


@transaction.atomic
def create_item(
    engagement: Engagement, *, audience: Iterable = (), actor=None, **fields
) -> PlanItem:
    """A plan item added by hand (`origin` manual), in a week of the plan."""
    _check_week(engagement, fields["week"])
    _resolve_resistance_point(engagement, fields)
    members = _audience(engagement, audience)
    item = PlanItem(engagement=engagement, origin="manual", **fields)
    save_versioned(item, None)
    item.audience.set(members)
    engagement_changed(engagement)
    _record_item(item, actor, "created")
    return item


@transaction.atomic
def update_item(
    item: PlanItem,
    *,
    expected_version: int | None,
    audience: Iterable | None = None,
    actor=None,
    actor_name: str | None = None,
    **changes,
) -> PlanItem:
    """Change an item; a generated item that really changes becomes hand work.

    A new week must be in the plan; an item already outside it may stay there.
    `actor_name` names someone without an account (a customer contributor)."""
    engagement = item.engagement
    if "week" in changes and changes["week"] != item.week:
        _check_week(engagement, changes["week"])
    _resolve_resistance_point(engagement, changes)
    members = None if audience is None else _audience(engagement, audience)
    before = stored_values(item, changes)
    content_changed = any(
        getattr(item, name) != value for name, value in changes.items() if name != "status"
    )
    audience_change = None
    if members is not None:
        current = set(item.audience.values_list("id", flat=True))
        wanted = {member.pk for member in members}
        if current != wanted:
            content_changed = True
            # Counts, not names: an engagement-wide item addresses hundreds.
            audience_change = [len(current), len(wanted)]
    if "status" in changes:
        _note_who_did_it(item, changes["status"], actor, actor_name)
    for name, value in changes.items():
        setattr(item, name, value)
    if content_changed and item.is_generated:
        item.edited_by_hand = True
    save_versioned(item, expected_version)
    if members is not None:
        item.audience.set(members)
    engagement_changed(engagement)
    changed = field_changes(item, before)
    if audience_change:
        changed["audience"] = audience_change
    if changed:
        _record_item(item, actor, "updated", changed, actor_name=actor_name)
    return item


def move_item(item: PlanItem, week: int, *, expected_version: int | None, actor=None) -> PlanItem:
    return update_item(item, expected_version=expected_version, actor=actor, week=week)


def set_item_status(
    item: PlanItem,
    status: str,
    *,
    expected_version: int | None,
    actor=None,
    actor_name: str | None = None,
) -> PlanItem:
    """Done, skipped or planned again. Progress keeps the item through regeneration
    without marking its content as edited (see `regeneration.is_touched`)."""
    return update_item(
        item, expected_version=expected_version, actor=actor, actor_name=actor_name, status=status
    )


@transaction.atomic
def delete_item(item: PlanItem, *, expected_version: int | None = None, actor=None) -> None:
    """Delete an item; a generated one is remembered so regeneration does not bring it back."""
    engagement = item.engagement
    current = PlanItem.objects.select_for_update().filter(pk=item.pk).first()
    if current is None:
        return
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    if current.generation_key:
        state = plan_state(engagement, for_update=True)
        if current.generation_key not in state.dismissed_keys:
            state.dismissed_keys = [*state.dismissed_keys, current.generation_key]
            state.save(update_fields=["dismissed_keys"])
    item_id = current.id
    current.delete()
    engagement_changed(engagement)
    current.engagement = engagement
    _record_item(current, actor, "deleted", item_id=item_id)


MAX_OWNER_LENGTH = 200


@transaction.atomic
def assign_owner(engagement: Engagement, item_ids: Iterable, owner: str, *, actor=None) -> int:
    """Name one owner for several items at once; returns how many changed.

    A generated item whose owner changes becomes hand work (regeneration keeps
    it), as with any other edit. Ids of another engagement are refused.
    """
    owner = owner.strip()
    if not owner or len(owner) > MAX_OWNER_LENGTH:
        raise ValidationError(
            {"owner": f"Name the owner: a name of 1 to {MAX_OWNER_LENGTH} characters."}
        )
    ids = {str(item_id) for item_id in item_ids}
    if not ids:
        raise ValidationError({"items": "Tick at least one item to give it an owner."})
    try:
        items = list(engagement.plan_items.select_for_update().filter(id__in=ids))
    except ValidationError:
        items = []
    if len(items) != len(ids):
        raise ValidationError({"items": "Every item must belong to this plan."})
    changed = [item for item in items if item.owner != owner]
    for item in changed:
        item.owner = owner
        item.version += 1
        if item.is_generated:
            item.edited_by_hand = True
    PlanItem.objects.bulk_update(changed, ["owner", "version", "edited_by_hand"])
    if changed:
        engagement_changed(engagement)
        record_plan_activity(
            engagement,
            actor,
            detail=f"{owner} named owner of {len(changed)} item{'s' * (len(changed) != 1)}",
        )
    return len(changed)
