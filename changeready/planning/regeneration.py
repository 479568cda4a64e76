"""The regenerate flow: load the landscape, ask the pure core
(`changeready.core.planning`) for the plan and for what a regeneration may
change, show that as a preview, then write it in one transaction.

Hand work is never lost: touched items and hand-set targets stay as they are.
"""

from __future__ import annotations

import uuid
from collections import defaultdict, namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from changeready.common.bulk import insert_rows
from changeready.core.model import EngagementData
from changeready.core.plan_merge import (
    REFRESHED_FIELDS,
    ExistingItem,
    ExistingTarget,
    PlanChanges,
    TargetChanges,
    merge_plan,
    merge_targets,
)
from changeready.core.planning import GeneratedItem, GeneratedPlan, generate_plan
from changeready.engagements.loading import (
    adoption_target_data,
    load_engagement_data,
    plan_item_data,
)
from changeready.engagements.models import Engagement
from changeready.engagements.services import engagement_changed, lock_engagement
from changeready.integrations import events
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState
from changeready.planning.plan_state import plan_state, record_plan_activity
from changeready.planning.rules_library import effective_rules


@dataclass(frozen=True)
class ItemRefresh:
    """An untouched generated item whose rule now says something else."""

    item: PlanItem
    generated: GeneratedItem


@dataclass(frozen=True)
class RegenerationPreview:
    plan: GeneratedPlan
    changes: PlanChanges
    target_changes: TargetChanges
    # What the user reads before confirming.
    items_to_add: tuple[GeneratedItem, ...]
    items_to_remove: tuple[PlanItem, ...]
    items_to_refresh: tuple[ItemRefresh, ...]
    items_kept_by_hand: tuple[PlanItem, ...]
    stakeholder_names: dict[str, str]

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.changes.changes_anything
            or self.target_changes.changes_anything
            or self.items_to_refresh
        )

    def audience_names(self, item: GeneratedItem) -> list[str]:
        return [self.stakeholder_names.get(sid, "?") for sid in item.audience_ids]


@dataclass(frozen=True)
class RegenerationSummary:
    added: int
    removed: int
    refreshed: int
    kept: int
    targets_added: int
    targets_updated: int
    targets_removed: int

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.removed} removed, {self.refreshed} updated, "
            f"{self.kept} kept; adoption targets: {self.targets_added} added, "
            f"{self.targets_updated} updated, {self.targets_removed} removed"
        )


def is_touched(item: PlanItem) -> bool:
    # Progress is hand work too: a done or skipped item stays even if its rule
    # no longer applies, so the record of what happened is never lost.
    return item.edited_by_hand or item.status != "planned"


def preview_regeneration(
    engagement: Engagement, *, as_of=None, state: PlanState | None = None
) -> RegenerationPreview:
    """What regenerating the plan would add, remove, update and keep; writes nothing.

    `as_of` (today unless given) makes weeks already over unusable to the generator;
    `state` is the plan state when the caller already holds it (locked).
    """
    if state is None:
        state = PlanState.objects.filter(engagement=engagement).first() or PlanState(
            engagement=engagement
        )
    # No audience is read for the generated items: the merge compares keys and
    # content, and an engagement-wide item names every stakeholder.
    items = list(engagement.plan_items.all())
    targets = list(_target_rows(engagement))
    data = _landscape_data(engagement, items, targets)
    plan = generate_plan(
        data,
        effective_rules(engagement.workspace),
        as_of=as_of or timezone.localdate(),
        adoption_target_pct=state.adoption_target_pct,
        adoption_target_week=state.adoption_target_week,
    )
    changes = merge_plan(
        [
            ExistingItem(
                id=str(item.id),
                generation_key=item.generation_key or None,
                origin=item.origin,
                touched=is_touched(item),
                content={name: getattr(item, name) for name in REFRESHED_FIELDS},
            )
            for item in items
        ],
        plan,
        dismissed_keys=state.dismissed_keys,
    )
    target_changes = merge_targets(
        [
            ExistingTarget(
                id=str(target.id),
                stakeholder_id=str(target.stakeholder_id),
                week=target.week,
                target_pct=target.target_pct,
                actual_pct=target.actual_pct,
                source=target.source,
            )
            for target in targets
        ],
        plan,
    )
    by_id = {str(item.id): item for item in items}
    return RegenerationPreview(
        plan=plan,
        changes=changes,
        target_changes=target_changes,
        items_to_add=changes.to_add,
        items_to_remove=tuple(by_id[item_id] for item_id in changes.to_remove),
        items_to_refresh=tuple(
            ItemRefresh(by_id[refresh.id], refresh.generated) for refresh in changes.to_refresh
        ),
        items_kept_by_hand=tuple(
            item for item in items if not item.is_generated or is_touched(item)
        ),
        stakeholder_names={s.id: s.name for s in data.stakeholders},
    )


_TargetRow = namedtuple("_TargetRow", "id stakeholder_id week target_pct actual_pct source")


def _target_rows(engagement: Engagement) -> Iterable[_TargetRow]:
    """The stored targets as plain rows: a large landscape has thousands, and the
    merge only reads their figures (writes fetch the few rows that change)."""
    return map(_TargetRow._make, engagement.adoption_targets.values_list(*_TargetRow._fields))


def _landscape_data(
    engagement: Engagement, items: Sequence[PlanItem], targets: Sequence[_TargetRow]
) -> EngagementData:
    """What generation reads: the landscape, the register, the hand-made items, and the
    adoption targets with their figures (a group behind target gets a `lagging.` step)."""
    data = load_engagement_data([engagement], with_plan=False)[str(engagement.id)]
    hand_made_ids = [item.id for item in items if not item.is_generated]
    audiences: dict = defaultdict(list)
    if hand_made_ids:
        links = PlanItem.audience.through.objects.filter(planitem__engagement=engagement).exclude(
            planitem__origin__startswith="generated"
        )
        for item_id, stakeholder_id in links.values_list("planitem_id", "stakeholder_id"):
            audiences[item_id].append(str(stakeholder_id))
    hand_made = tuple(
        plan_item_data(item, sorted(audiences[item.id])) for item in items if not item.is_generated
    )
    return replace(
        data,
        plan_items=hand_made,
        adoption_targets=tuple(adoption_target_data(target) for target in targets),
    )


def regenerate_plan(engagement: Engagement, *, actor=None, as_of=None) -> RegenerationSummary:
    """Generate the plan, or bring it up to date, keeping every piece of hand work.

    The engagement row is locked first, so two regenerations of the same
    engagement run one after the other and the second sees the first's items
    (on SQLite the immediate transaction serialises the writers the same way).
    A regeneration that changes nothing writes nothing: no item, no "last
    generated" stamp, no snapshot refresh and no history event.
    """
    with transaction.atomic():
        lock_engagement(engagement)
        state = plan_state(engagement, for_update=True)
        preview = preview_regeneration(engagement, as_of=as_of, state=state)
        changes, target_changes = preview.changes, preview.target_changes
        summary = RegenerationSummary(
            added=len(changes.to_add),
            removed=len(changes.to_remove),
            refreshed=len(preview.items_to_refresh),
            kept=len(changes.kept) - len(preview.items_to_refresh),
            targets_added=len(target_changes.to_add),
            targets_updated=len(target_changes.to_update),
            targets_removed=len(target_changes.to_remove),
        )
        if not preview.changes_anything:
            if state.generated_at is None:
                # The first generation of an empty plan still says when it ran.
                _stamp(state, actor)
            return summary
        if changes.to_remove:
            engagement.plan_items.filter(id__in=changes.to_remove).delete()
        _create_generated_items(engagement, changes.to_add)
        for refresh in preview.items_to_refresh:
            for name in REFRESHED_FIELDS:
                # Text columns store "" where the core has None; week 0 stays 0.
                value = getattr(refresh.generated, name)
                setattr(refresh.item, name, "" if value is None else value)
        if preview.items_to_refresh:
            PlanItem.objects.bulk_update(
                [refresh.item for refresh in preview.items_to_refresh], REFRESHED_FIELDS
            )
        _apply_target_changes(engagement, target_changes)
        _stamp(state, actor)
        engagement_changed(engagement)
        # One event for the whole regeneration: hundreds of item events would
        # bury every hand edit in the history.
        record_plan_activity(engagement, actor, verb="generated", detail=str(summary))
        events.publish(engagement, events.EventType.PLAN_GENERATED, plan=summary)
    return summary


def _stamp(state: PlanState, actor) -> None:
    state.generated_at = timezone.now()
    state.generated_by = actor
    state.save(update_fields=["generated_at", "generated_by"])


def _create_generated_items(engagement: Engagement, generated: Sequence[GeneratedItem]) -> None:
    # An engagement-wide item names every stakeholder it addresses, so a large
    # landscape gives tens of thousands of audience rows.
    ids = [uuid.uuid4() for _ in generated]
    insert_rows(
        PlanItem,
        (
            {
                "id": item_id,
                "engagement_id": engagement.id,
                "week": item.week,
                "title": item.title,
                "description": item.description,
                "kind": item.kind,
                "workstream": item.workstream,
                "format": item.format,
                "owner_role": item.owner_role,
                "owner": item.owner,
                "adkar_target": item.adkar_target or "",
                "resistance_point_id": item.resistance_point_id,
                "origin": item.origin,
                "generation_key": item.generation_key,
                "reason": item.reason,
            }
            for item_id, item in zip(ids, generated, strict=True)
        ),
    )
    insert_rows(
        PlanItem.audience.through,
        (
            {"planitem_id": item_id, "stakeholder_id": stakeholder_id}
            for item_id, item in zip(ids, generated, strict=True)
            for stakeholder_id in item.audience_ids
        ),
    )


def _apply_target_changes(engagement: Engagement, changes: TargetChanges) -> None:
    if changes.to_remove:
        engagement.adoption_targets.filter(id__in=changes.to_remove).delete()
    if changes.to_update:
        rows = {
            str(row.id): row
            for row in engagement.adoption_targets.filter(
                id__in=[update.id for update in changes.to_update]
            )
        }
        for update in changes.to_update:
            rows[update.id].target_pct = update.target_pct
        AdoptionTarget.objects.bulk_update(rows.values(), ["target_pct"])
    insert_rows(
        AdoptionTarget,
        (
            {
                "engagement_id": engagement.id,
                "stakeholder_id": target.stakeholder_id,
                "week": target.week,
                "target_pct": target.target_pct,
            }
            for target in changes.to_add
        ),
    )
