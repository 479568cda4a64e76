"""The regeneration merge: what a fresh generation would change in a stored plan.

`merge_plan` and `merge_targets` compare a fresh generation with what is
stored and say what would change, so the user can confirm before anything is
written and no hand work is ever lost (domain reference, section 6,
guarantee 9).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from changeready.core.planning import GeneratedItem, GeneratedPlan, GeneratedTarget

# The fields of a generated item that follow its rule while nobody touched it.
REFRESHED_FIELDS = (
    "week",
    "title",
    "description",
    "kind",
    "workstream",
    "format",
    "owner_role",
    "owner",
    "adkar_target",
    "reason",
)


@dataclass(frozen=True)
class ExistingItem:
    """A stored plan item, as much as the merge needs to know about it.

    `touched` is hand work: edited, or marked done or skipped. `content` holds
    the stored values of `REFRESHED_FIELDS`, so an untouched item can follow
    its rule.
    """

    id: str
    generation_key: str | None
    origin: str
    touched: bool = False
    content: Mapping[str, object] = field(default_factory=dict)

    @property
    def untouched_generated(self) -> bool:
        return (
            self.generation_key is not None
            and self.origin.startswith("generated")
            and not self.touched
        )


@dataclass(frozen=True)
class ItemRefresh:
    """An untouched generated item whose rule now says something else."""

    id: str
    generated: GeneratedItem


@dataclass(frozen=True)
class PlanChanges:
    to_add: tuple[GeneratedItem, ...]
    to_remove: tuple[str, ...]
    to_refresh: tuple[ItemRefresh, ...]
    kept: tuple[str, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.to_add or self.to_remove or self.to_refresh)


@dataclass(frozen=True)
class ExistingTarget:
    id: str
    stakeholder_id: str
    week: int
    target_pct: float
    actual_pct: float | None = None
    # `manual`: typed or imported, a commitment the generator never changes.
    source: str = "generated"


@dataclass(frozen=True)
class TargetUpdate:
    id: str
    target_pct: float


@dataclass(frozen=True)
class TargetChanges:
    to_add: tuple[GeneratedTarget, ...]
    to_update: tuple[TargetUpdate, ...]
    to_remove: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.to_add or self.to_update or self.to_remove)


def merge_plan(
    existing: Sequence[ExistingItem],
    generated: GeneratedPlan,
    *,
    dismissed_keys: Collection[str] = (),
) -> PlanChanges:
    """What regenerating would change, without destroying hand work.

    - Manual items (no generation key, or an origin other than `generated…`)
      and touched items are kept as they are.
    - An untouched generated item whose key is no longer produced is removed;
      one whose key is still produced follows its rule (`to_refresh`) when the
      rule now says something else (a new week, owner, wording…).
    - A generated item is added only if no stored item has its key, touched or
      not, so regenerating never duplicates.
    - `dismissed_keys` are keys of generated items the user deleted: deleting
      is hand work too, so they are not brought back.
    """
    produced = {item.generation_key: item for item in generated.items}
    stored_keys = {item.generation_key for item in existing if item.generation_key is not None}
    to_remove, to_refresh, kept = [], [], []
    for item in existing:
        fresh = produced.get(item.generation_key) if item.generation_key else None
        if item.untouched_generated and fresh is None:
            to_remove.append(item.id)
            continue
        kept.append(item.id)
        # An untouched item without a fresh one was removed above.
        if item.untouched_generated and item.content and fresh and _differs(item.content, fresh):
            to_refresh.append(ItemRefresh(item.id, fresh))
    blocked = stored_keys | set(dismissed_keys)
    return PlanChanges(
        to_add=tuple(item for item in generated.items if item.generation_key not in blocked),
        to_remove=tuple(sorted(to_remove)),
        to_refresh=tuple(sorted(to_refresh, key=lambda refresh: refresh.id)),
        kept=tuple(sorted(kept)),
    )


def _differs(content: Mapping[str, object], generated: GeneratedItem) -> bool:
    # Stored text columns hold "" where the core has None.
    return any(
        (content.get(name) or None) != (getattr(generated, name) or None)
        for name in REFRESHED_FIELDS
    )


def merge_targets(existing: Sequence[ExistingTarget], generated: GeneratedPlan) -> TargetChanges:
    """What regenerating would change in the adoption targets.

    A manual target (typed or imported) is a commitment, and one with an actual
    figure is history: both are kept. Other stored targets follow the fresh
    ramp: updated when the value differs, removed when the group or week no
    longer has one.
    """
    fresh = {(target.stakeholder_id, target.week): target for target in generated.targets}
    stored = {(target.stakeholder_id, target.week) for target in existing}
    to_update, to_remove, kept = [], [], []
    for target in existing:
        replacement = fresh.get((target.stakeholder_id, target.week))
        if target.actual_pct is not None or target.source == "manual":
            kept.append(target.id)
        elif replacement is None:
            to_remove.append(target.id)
        elif replacement.target_pct != target.target_pct:
            to_update.append(TargetUpdate(id=target.id, target_pct=replacement.target_pct))
        else:
            kept.append(target.id)
    return TargetChanges(
        to_add=tuple(target for key, target in fresh.items() if key not in stored),
        to_update=tuple(sorted(to_update, key=lambda update: update.id)),
        to_remove=tuple(sorted(to_remove)),
        kept=tuple(sorted(kept)),
    )
