"""Writes for the activation plan and the workspace rule library.

The web views and the API both call these. The judgement (which items a
landscape needs, what a regeneration may change) lives in the pure core
(`changeready.core.planning`); this module loads the engagement, asks the core,
and writes the answer. Every write to plan data ends in `engagement_changed`,
so the assessment snapshot follows the plan.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from changeready.assessment.loading import (
    engagement_fields,
    resistance_point_data,
    stakeholder_data,
)
from changeready.common.concurrency import EditConflict, save_versioned
from changeready.core.model import EngagementData
from changeready.core.planning import (
    ExistingItem,
    ExistingTarget,
    GeneratedItem,
    GeneratedPlan,
    PlanChanges,
    TargetChanges,
    generate_plan,
    merge_plan,
    merge_targets,
)
from changeready.core.rules import BUILTIN_RULES, Rule, check_unique_keys
from changeready.engagements.models import Engagement
from changeready.engagements.services import engagement_changed, update_engagement
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState, WorkspaceRule
from changeready.portfolio.activity import (
    dict_changes,
    field_changes,
    record_activity,
    record_workspace_activity,
    stored_values,
)

logger = logging.getLogger(__name__)

BUILTIN_BY_KEY = {rule.key: rule for rule in BUILTIN_RULES}
# The fields of a generated item that follow its rule while nobody touched it.
REFRESHED_FIELDS = ("title", "description", "kind", "owner_role", "adkar_target", "reason")


# --- the workspace rule library -------------------------------------------------


@dataclass(frozen=True)
class LibraryEntry:
    """One rule as the playbook page shows it."""

    rule: Rule
    # "builtin" (as shipped), "edited" (a workspace copy of a built-in), "custom".
    source: str
    row: WorkspaceRule | None = None

    @property
    def enabled(self) -> bool:
        return self.rule.enabled

    @property
    def key(self) -> str:
        return self.rule.key


def rule_library(workspace) -> list[LibraryEntry]:
    """The workspace's rules in library order: built-ins (as overridden), then its own."""
    rows = list(WorkspaceRule.objects.for_workspace(workspace))
    overrides = {row.key: row for row in rows if row.based_on}
    entries = []
    for builtin in BUILTIN_RULES:
        row = overrides.get(builtin.key)
        if row is None:
            entries.append(LibraryEntry(builtin, "builtin"))
            continue
        rule = _stored_rule(row, builtin)
        if rule is not None:
            entries.append(LibraryEntry(rule, "builtin" if row.data is None else "edited", row))
    for row in rows:
        if not row.based_on:
            rule = _stored_rule(row, None)
            if rule is not None:
                entries.append(LibraryEntry(rule, "custom", row))
    return entries


def _stored_rule(row: WorkspaceRule, builtin: Rule | None) -> Rule | None:
    if row.data is None:
        return replace(builtin, enabled=row.enabled) if builtin else None
    try:
        return replace(Rule.from_dict(row.data), enabled=row.enabled)
    except ValueError:
        # Written through `save_rule`, so only a stricter future validation can
        # get here; one bad rule must not stop every plan of the workspace.
        logger.warning("Skipping invalid plan rule %s of workspace %s", row.key, row.workspace_id)
        return None


def effective_rules(workspace) -> tuple[Rule, ...]:
    """The rule library plan generation uses for this workspace."""
    rules = tuple(entry.rule for entry in rule_library(workspace))
    check_unique_keys(rules)
    return rules


def library_entry(workspace, key: str) -> LibraryEntry | None:
    return next((entry for entry in rule_library(workspace) if entry.key == key), None)


def rule_validation_error(error: ValueError) -> ValidationError:
    """`Rule.from_dict`'s message, attached to the field it names."""
    message = str(error)
    match = re.search(r"field '([a-z_]+)' (.*)$", message)
    if match:
        field, problem = match.groups()
        return ValidationError({field: f"{field.replace('_', ' ').capitalize()} {problem}."})
    return ValidationError(message)


def _record_rule(workspace, rule_id, actor, verb: str, title: str, changes=None):
    # The playbook belongs to the workspace, not to one engagement.
    record_workspace_activity(
        workspace,
        actor=actor,
        verb=verb,
        obj_type="plan_rule",
        obj_id=rule_id,
        label=title,
        changes=changes,
    )


@transaction.atomic
def save_rule(
    workspace, data: dict, *, expected_version: int | None = None, actor=None
) -> WorkspaceRule:
    """Create or update a rule of the workspace from its dict form.

    A built-in key stores an edited copy of that rule; any other key is the
    workspace's own rule. `ValidationError` names the bad field.
    """
    try:
        rule = Rule.from_dict(data)
    except ValueError as error:
        raise rule_validation_error(error) from None
    row = WorkspaceRule.objects.for_workspace(workspace).filter(key=rule.key).first()
    if row is None:
        based_on = rule.key if rule.key in BUILTIN_BY_KEY else None
        position = 0
        if based_on is None:
            last = WorkspaceRule.objects.for_workspace(workspace).aggregate(Max("position"))
            position = (last["position__max"] or 0) + 1
        row = WorkspaceRule(workspace=workspace, key=rule.key, based_on=based_on, position=position)
    previous = _stored_rule(row, BUILTIN_BY_KEY.get(row.based_on)) if row.pk else None
    if previous is None and row.based_on:
        previous = BUILTIN_BY_KEY[row.based_on]
    row.data = rule.to_dict()
    row.enabled = rule.enabled
    save_versioned(row, expected_version)
    if previous is None:
        _record_rule(workspace, row.id, actor, "created", rule.title)
    else:
        changes = dict_changes(previous.to_dict(), row.data)
        if changes:
            _record_rule(workspace, row.id, actor, "updated", rule.title, changes)
    return row


@transaction.atomic
def create_rule(workspace, data: dict, *, actor=None) -> WorkspaceRule:
    """Add the workspace's own rule; its key must be new."""
    key = data.get("key")
    if key in BUILTIN_BY_KEY:
        raise ValidationError(
            {"key": "A built-in rule uses this key: edit the built-in rule instead."}
        )
    if WorkspaceRule.objects.for_workspace(workspace).filter(key=key).exists():
        raise ValidationError({"key": "The playbook already has a rule with this key."})
    return save_rule(workspace, data, actor=actor)


def _rule_title(row: WorkspaceRule) -> str:
    if row.data is not None:
        return row.data.get("title") or row.key
    return BUILTIN_BY_KEY[row.based_on].title if row.based_on in BUILTIN_BY_KEY else row.key


@transaction.atomic
def set_rule_enabled(workspace, key: str, enabled: bool, *, actor=None) -> WorkspaceRule:
    row = WorkspaceRule.objects.for_workspace(workspace).select_for_update().filter(key=key).first()
    if row is None:
        if key not in BUILTIN_BY_KEY:
            raise WorkspaceRule.DoesNotExist(key)
        row = WorkspaceRule(workspace=workspace, key=key, based_on=key, data=None)
    was_enabled = row.enabled
    row.enabled = enabled
    if row.data is not None:
        row.data = {**row.data, "enabled": enabled}
    save_versioned(row, None)
    if was_enabled != enabled:
        changes = dict_changes({"enabled": was_enabled}, {"enabled": enabled})
        _record_rule(workspace, row.id, actor, "updated", _rule_title(row), changes)
    return row


@transaction.atomic
def reset_rule(workspace, key: str, *, actor=None) -> None:
    """Back to the built-in rule as shipped (edits and the on/off switch are dropped)."""
    rows = WorkspaceRule.objects.for_workspace(workspace).filter(key=key, based_on__isnull=False)
    row = rows.first()
    if row is None:
        return
    rows.delete()
    _record_rule(workspace, row.id, actor, "reset", _rule_title(row))


@transaction.atomic
def delete_rule(workspace, key: str, *, actor=None) -> None:
    """Delete one of the workspace's own rules (built-ins are switched off instead)."""
    row = (
        WorkspaceRule.objects.for_workspace(workspace)
        .filter(key=key, based_on__isnull=True)
        .first()
    )
    if row is None:
        raise WorkspaceRule.DoesNotExist(key)
    rule_id, title = row.id, _rule_title(row)
    row.delete()
    _record_rule(workspace, rule_id, actor, "deleted", title)


# --- plan state ---------------------------------------------------------------


def plan_state(engagement: Engagement, *, for_update: bool = False) -> PlanState:
    state, _ = PlanState.objects.get_or_create(engagement=engagement)
    if for_update:
        state = PlanState.objects.select_for_update().get(pk=state.pk)
    return state


@transaction.atomic
def update_plan_settings(
    engagement: Engagement,
    *,
    expected_version: int | None,
    plan_first_week: int,
    plan_last_week: int,
    adoption_target_pct: float,
    adoption_target_week: int,
    actor=None,
) -> Engagement:
    """The plan window (on the engagement) and the adoption ramp (on the plan state)."""
    state = plan_state(engagement, for_update=True)
    before = stored_values(state, ["adoption_target_pct", "adoption_target_week"])
    state.adoption_target_pct = adoption_target_pct
    state.adoption_target_week = adoption_target_week
    state.full_clean()
    state.save()
    updated = update_engagement(
        engagement,
        expected_version=expected_version,
        actor=actor,
        plan_first_week=plan_first_week,
        plan_last_week=plan_last_week,
    )
    ramp_changes = field_changes(state, before)
    if ramp_changes:
        record_activity(
            engagement,
            actor=actor,
            verb="updated",
            obj_type="plan",
            obj_id=None,
            label=engagement.name,
            changes=ramp_changes,
        )
    return updated


# --- regeneration ---------------------------------------------------------------


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


def _is_touched(item: PlanItem) -> bool:
    # Progress is hand work too: a done or skipped item stays even if its rule
    # no longer applies, so the record of what happened is never lost.
    return item.edited_by_hand or item.status != "planned"


def preview_regeneration(engagement: Engagement) -> RegenerationPreview:
    """What regenerating the plan would add, remove, update and keep; writes nothing."""
    state = PlanState.objects.filter(engagement=engagement).first() or PlanState(
        engagement=engagement
    )
    data = _landscape_data(engagement)
    plan = generate_plan(
        data,
        effective_rules(engagement.workspace),
        first_week=engagement.plan_first_week,
        last_week=engagement.plan_last_week,
        adoption_target_pct=state.adoption_target_pct,
        adoption_target_week=state.adoption_target_week,
    )
    items = list(engagement.plan_items.all())
    changes = merge_plan(
        [
            ExistingItem(
                id=str(item.id),
                generation_key=item.generation_key or None,
                origin=item.origin,
                edited_by_hand=_is_touched(item),
            )
            for item in items
        ],
        plan,
        dismissed_keys=state.dismissed_keys,
    )
    targets = list(engagement.adoption_targets.all())
    target_changes = merge_targets(
        [
            ExistingTarget(
                id=str(target.id),
                stakeholder_id=str(target.stakeholder_id),
                week=target.week,
                target_pct=target.target_pct,
                actual_pct=target.actual_pct,
                edited_by_hand=target.edited_by_hand,
            )
            for target in targets
        ],
        plan,
    )
    by_id = {str(item.id): item for item in items}
    generated_by_key = {item.generation_key: item for item in plan.items}
    removing = set(changes.to_remove)
    refreshes = []
    for item in items:
        fresh = generated_by_key.get(item.generation_key)
        if (
            fresh is not None
            and item.is_generated
            and not _is_touched(item)
            and str(item.id) not in removing
            and _differs(item, fresh)
        ):
            refreshes.append(ItemRefresh(item, fresh))
    return RegenerationPreview(
        plan=plan,
        changes=changes,
        target_changes=target_changes,
        items_to_add=changes.to_add,
        items_to_remove=tuple(by_id[item_id] for item_id in changes.to_remove),
        items_to_refresh=tuple(refreshes),
        items_kept_by_hand=tuple(
            item for item in items if not item.is_generated or _is_touched(item)
        ),
        stakeholder_names={s.id: s.name for s in data.stakeholders},
    )


def _landscape_data(engagement: Engagement) -> EngagementData:
    """What generation reads: the landscape and the register, not the stored plan."""
    return EngagementData(
        engagement=engagement_fields(engagement),
        stakeholders=tuple(
            stakeholder_data(row) for row in engagement.stakeholders.order_by("created_at", "name")
        ),
        resistance_points=tuple(
            resistance_point_data(row)
            for row in engagement.resistance_points.order_by("created_at")
        ),
    )


def _differs(item: PlanItem, generated: GeneratedItem) -> bool:
    return any(
        (getattr(item, name) or None) != (getattr(generated, name) or None)
        for name in REFRESHED_FIELDS
    )


def regenerate_plan(engagement: Engagement, *, actor=None) -> RegenerationSummary:
    """Generate the plan, or bring it up to date, keeping every piece of hand work.

    The engagement row is locked first, so two regenerations of the same
    engagement run one after the other and the second sees the first's items
    (on SQLite the immediate transaction serialises the writers the same way).
    """
    with transaction.atomic():
        Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
        preview = preview_regeneration(engagement)
        changes, target_changes = preview.changes, preview.target_changes
        if changes.to_remove:
            engagement.plan_items.filter(id__in=changes.to_remove).delete()
        _create_generated_items(engagement, changes.to_add)
        for refresh in preview.items_to_refresh:
            for name in REFRESHED_FIELDS:
                setattr(refresh.item, name, getattr(refresh.generated, name) or "")
        if preview.items_to_refresh:
            PlanItem.objects.bulk_update(
                [refresh.item for refresh in preview.items_to_refresh], REFRESHED_FIELDS
            )
        _apply_target_changes(engagement, target_changes)
        state = plan_state(engagement, for_update=True)
        state.generated_at = timezone.now()
        state.generated_by = actor
        state.save(update_fields=["generated_at", "generated_by"])
        engagement_changed(engagement)
        summary = RegenerationSummary(
            added=len(changes.to_add),
            removed=len(changes.to_remove),
            refreshed=len(preview.items_to_refresh),
            kept=len(changes.kept) - len(preview.items_to_refresh),
            targets_added=len(target_changes.to_add),
            targets_updated=len(target_changes.to_update),
            targets_removed=len(target_changes.to_remove),
        )
        # One event for the whole regeneration: hundreds of item events would
        # bury every hand edit in the history.
        if preview.changes_anything:
            record_activity(
                engagement,
                actor=actor,
                verb="generated",
                obj_type="plan",
                obj_id=None,
                label=engagement.name,
                detail=str(summary),
            )
    return summary


def _create_generated_items(engagement: Engagement, generated: Sequence[GeneratedItem]) -> None:
    rows = [
        PlanItem(
            engagement=engagement,
            week=item.week,
            title=item.title,
            description=item.description,
            kind=item.kind,
            owner_role=item.owner_role,
            adkar_target=item.adkar_target or "",
            resistance_point_id=item.resistance_point_id,
            origin=item.origin,
            generation_key=item.generation_key,
            reason=item.reason,
        )
        for item in generated
    ]
    PlanItem.objects.bulk_create(rows, batch_size=500)
    _insert_audience(
        (row.id, stakeholder_id)
        for row, item in zip(rows, generated, strict=True)
        for stakeholder_id in item.audience_ids
    )


def _insert_audience(pairs: Iterable[tuple]) -> None:
    """Audience rows in one prepared statement.

    An engagement-wide item names every stakeholder it addresses, so a large
    landscape gives tens of thousands of rows; building a model instance for
    each (the ORM's bulk_create) costs more than all the other writes together.
    """
    through = PlanItem.audience.through
    item_field = through._meta.get_field("planitem")
    stakeholder_field = through._meta.get_field("stakeholder")
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(through._meta.db_table)} "
        f"({quote(item_field.column)}, {quote(stakeholder_field.column)}) VALUES (%s, %s)"
    )
    # Both columns are UUIDs; their database form differs between backends.
    prepare = item_field.target_field.get_db_prep_value
    params = [
        (prepare(item_id, connection), prepare(uuid.UUID(str(stakeholder_id)), connection))
        for item_id, stakeholder_id in pairs
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


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
    AdoptionTarget.objects.bulk_create(
        [
            AdoptionTarget(
                engagement=engagement,
                stakeholder_id=target.stakeholder_id,
                week=target.week,
                target_pct=target.target_pct,
            )
            for target in changes.to_add
        ],
        batch_size=1000,
    )


# --- hand edits to plan items ---------------------------------------------------------


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


def _record_item(item: PlanItem, actor, verb: str, changes=None, *, item_id=None) -> None:
    record_activity(
        item.engagement,
        actor=actor,
        verb=verb,
        obj_type="plan_item",
        obj_id=item_id or item.id,
        label=item.title,
        changes=changes,
    )


@transaction.atomic
def create_item(
    engagement: Engagement, *, audience: Iterable = (), actor=None, **fields
) -> PlanItem:
    """A plan item added by hand (`origin` manual)."""
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
    **changes,
) -> PlanItem:
    """Change an item; a generated item that really changes becomes hand work."""
    engagement = item.engagement
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
        _record_item(item, actor, "updated", changed)
    return item


def move_item(item: PlanItem, week: int, *, expected_version: int | None, actor=None) -> PlanItem:
    return update_item(item, expected_version=expected_version, actor=actor, week=week)


def set_item_status(
    item: PlanItem, status: str, *, expected_version: int | None, actor=None
) -> PlanItem:
    """Done, skipped or planned again. Progress keeps the item through regeneration
    without marking its content as edited (see `_is_touched`)."""
    return update_item(item, expected_version=expected_version, actor=actor, status=status)


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


# --- adoption targets and actuals -----------------------------------------------------------


def _record_target(target: AdoptionTarget, actor, before: dict) -> None:
    changes = field_changes(target, before)
    if changes:
        record_activity(
            target.engagement,
            actor=actor,
            verb="updated",
            obj_type="adoption_target",
            obj_id=target.id,
            label=f"{target.stakeholder.name}, week {target.week}",
            changes=changes,
        )


@transaction.atomic
def set_target(
    target: AdoptionTarget, target_pct: float, *, expected_version: int | None, actor=None
) -> AdoptionTarget:
    """A target set by hand; regeneration keeps it."""
    before = stored_values(target, ["target_pct"])
    if target.target_pct != target_pct:
        target.edited_by_hand = True
    target.target_pct = target_pct
    save_versioned(target, expected_version)
    engagement_changed(target.engagement)
    _record_target(target, actor, before)
    return target


@transaction.atomic
def set_actual(
    target: AdoptionTarget, actual_pct: float | None, *, expected_version: int | None, actor=None
) -> AdoptionTarget:
    """The measured weekly-active share for the target's group and week (None clears it)."""
    before = stored_values(target, ["actual_pct"])
    target.actual_pct = actual_pct
    save_versioned(target, expected_version)
    engagement_changed(target.engagement)
    _record_target(target, actor, before)
    return target


MAX_ACTUALS_BYTES = 1024 * 1024
MAX_ACTUALS_ROWS = 5000
_HEADER_ALIASES = {
    "week": {"week", "plan week", "wk", "week number"},
    "stakeholder": {"stakeholder", "stakeholder name", "group", "name", "group name"},
    "percent": {
        "percent",
        "pct",
        "%",
        "actual",
        "actual %",
        "actual_pct",
        "actual pct",
        "percentage",
        "weekly active",
        "weekly active %",
    },
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


class ActualsImportError(Exception):
    """The file was refused as a whole; `errors` says why, row by row."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Actual:
    stakeholder_name: str
    week: int
    actual_pct: float


def parse_actuals_csv(raw: bytes) -> list[tuple[int, Actual]]:
    """(line, actual) for each row; `ActualsImportError` lists every bad row."""
    if len(raw) > MAX_ACTUALS_BYTES:
        raise ActualsImportError([RowError(0, "The file is larger than 1 MB.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActualsImportError(
            [RowError(0, "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")]
        ) from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise ActualsImportError([RowError(0, "The file is empty.")])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = {}
    for position, name in enumerate(header):
        normalised = " ".join(name.strip().lower().replace("_", " ").split())
        for column, aliases in _HEADER_ALIASES.items():
            if normalised in aliases or normalised.replace(" ", "_") in aliases:
                columns.setdefault(column, position)
    missing = [column for column in _HEADER_ALIASES if column not in columns]
    if missing:
        raise ActualsImportError(
            [
                RowError(
                    1,
                    f"the header needs the columns week, stakeholder and percent; "
                    f"missing: {', '.join(missing)}.",
                )
            ]
        )
    rows, errors = [], []
    for line_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(rows) + len(errors) >= MAX_ACTUALS_ROWS:
            errors.append(RowError(line_number, f"more than {MAX_ACTUALS_ROWS} rows."))
            break
        cells = {column: _cell(values, position) for column, position in columns.items()}
        problems = []
        try:
            week = int(cells["week"])
        except ValueError:
            problems.append(f"week {cells['week']!r} is not a whole number")
        if not cells["stakeholder"]:
            problems.append("the stakeholder is empty")
        try:
            percent = float(cells["percent"].rstrip("%").strip().replace(",", "."))
        except ValueError:
            problems.append(f"percent {cells['percent']!r} is not a number")
        else:
            if not 0 <= percent <= 100:
                problems.append(f"percent {percent:g} is not between 0 and 100")
        if problems:
            errors.append(RowError(line_number, "; ".join(problems) + "."))
            continue
        rows.append((line_number, Actual(cells["stakeholder"], week, percent)))
    if errors:
        raise ActualsImportError(errors)
    if not rows:
        raise ActualsImportError([RowError(0, "The file has a header but no rows.")])
    return rows


def _cell(values: list[str], position: int) -> str:
    return values[position].strip() if position < len(values) else ""


@transaction.atomic
def record_actuals(
    engagement: Engagement, actuals: Sequence[tuple[int, Actual]], *, actor=None
) -> int:
    """Store actual figures against the engagement's adoption targets, all or nothing.

    Each row needs a stakeholder of the engagement (by name, any case) with an
    adoption target in that week: actuals are measured against targets, so
    generate the plan (or add the target) first.
    """
    stakeholders = {s.name.lower(): s for s in engagement.stakeholders.all()}
    targets = {
        (target.stakeholder_id, target.week): target
        for target in engagement.adoption_targets.select_for_update()
    }
    errors, seen, updated = [], {}, []
    for line, actual in actuals:
        stakeholder = stakeholders.get(actual.stakeholder_name.lower())
        if stakeholder is None:
            errors.append(RowError(line, f"no stakeholder named “{actual.stakeholder_name}”."))
            continue
        key = (stakeholder.pk, actual.week)
        if key in seen:
            errors.append(
                RowError(
                    line, f"{stakeholder.name}, week {actual.week} is already on line {seen[key]}."
                )
            )
            continue
        seen[key] = line
        target = targets.get(key)
        if target is None:
            errors.append(
                RowError(
                    line,
                    f"{stakeholder.name} has no adoption target in week {actual.week} "
                    "(targets are for daily-user groups, weeks 1 and later; generate the plan "
                    "first).",
                )
            )
            continue
        target.actual_pct = actual.actual_pct
        target.version += 1
        updated.append(target)
    if errors:
        raise ActualsImportError(errors)
    AdoptionTarget.objects.bulk_update(updated, ["actual_pct", "version"])
    engagement_changed(engagement)
    record_activity(
        engagement,
        actor=actor,
        verb="updated",
        obj_type="plan",
        obj_id=None,
        label=engagement.name,
        detail=f"{len(updated)} actual adoption figure{'s' * (len(updated) != 1)} recorded",
    )
    return len(updated)


def import_actuals(engagement: Engagement, csv_file, *, actor=None) -> int:
    """Import actual adoption from CSV (week, stakeholder name, percent); returns the count.

    All or nothing: any bad row refuses the whole file with every row's problem.
    """
    raw = csv_file.read(MAX_ACTUALS_BYTES + 1)
    return record_actuals(engagement, parse_actuals_csv(raw), actor=actor)
