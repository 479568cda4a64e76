"""Writes for the stakeholder landscape and the resistor register.

The web views and the API both call these, so validation (the models'
`full_clean`), concurrency checks and change tracking happen in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changeready.activity.services import field_changes, record_activity, stored_values
from changeready.common.concurrency import save_versioned
from changeready.core.model import ADKAR_ELEMENTS
from changeready.core.scoring import NO_PLAN_STATUS
from changeready.engagements.services import engagement_changed, update_engagement
from changeready.landscape.models import (
    Commitment,
    ResistancePoint,
    Stakeholder,
    StakeholderLogEntry,
    WorkspacePhrase,
)


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


ADKAR_SCORE_FIELDS = tuple(f"adkar_{element}" for element in ADKAR_ELEMENTS)
# Where scores typed by the team come from (a survey says `survey` itself).
ESTIMATED_ADKAR = "estimated"


def _estimated_by_hand(changes: dict, before: dict) -> bool:
    """Whether the change types ADKAR scores without saying where they came from.

    A score differs from what was stored (`before`; empty for a new
    stakeholder) and the caller gave no `adkar_source`, as a survey or an
    engagement file does.
    """
    return "adkar_source" not in changes and any(
        field in changes and changes[field] != before.get(field) for field in ADKAR_SCORE_FIELDS
    )


def _date_estimate(stakeholder: Stakeholder, changes: dict) -> None:
    """Scores typed by hand are an estimate made today (docs/domain.md, ADKAR source)."""
    stakeholder.adkar_source = ESTIMATED_ADKAR
    if "adkar_assessed_on" not in changes:
        stakeholder.adkar_assessed_on = timezone.localdate()


@transaction.atomic
def create_stakeholder(engagement, *, actor=None, **fields) -> Stakeholder:
    stakeholder = Stakeholder(engagement=engagement, **fields)
    if _estimated_by_hand(fields, {}):
        _date_estimate(stakeholder, fields)
    save_versioned(stakeholder, None)
    engagement_changed(engagement)
    _record(engagement, stakeholder, "stakeholder", actor, "created")
    return stakeholder


@transaction.atomic
def update_stakeholder(
    stakeholder: Stakeholder,
    *,
    expected_version: int | None,
    actor=None,
    record: bool = True,
    **changes,
) -> Stakeholder:
    """`record=False` is for a caller that records its own event instead
    (survey results, whose values must not appear in the history)."""
    before = _apply(stakeholder, changes)
    if _estimated_by_hand(changes, before):
        before = {**stored_values(stakeholder, ("adkar_source", "adkar_assessed_on")), **before}
        _date_estimate(stakeholder, changes)
    save_versioned(stakeholder, expected_version)
    engagement_changed(stakeholder.engagement)
    if record:
        changed = field_changes(stakeholder, before)
        _record(stakeholder.engagement, stakeholder, "stakeholder", actor, "updated", changed)
    return stakeholder


def _delete(instance, obj_type: str, actor, *, scored: bool = True) -> None:
    """`scored=False` for what the scores never read (the stakeholder log)."""
    # The id and label are read first: delete() clears the id.
    engagement = instance.engagement
    obj_id, label = instance.id, str(instance)
    instance.delete()
    if scored:
        engagement_changed(engagement)
    record_activity(
        engagement, actor=actor, verb="deleted", obj_type=obj_type, obj_id=obj_id, label=label
    )


@transaction.atomic
def delete_stakeholder(stakeholder: Stakeholder, *, actor=None) -> None:
    _delete(stakeholder, "stakeholder", actor)


def _check_due_week(engagement, due_week: int | None, stored: int | None = None) -> None:
    """A new due week must fall in the plan; one already outside it may stay."""
    if due_week is None or due_week == stored:
        return
    problem = engagement.week_outside_plan(due_week)
    if problem:
        raise ValidationError({"due_week": problem})


# The status a mitigation with a strategy and an owner moves to from "open".
PLANNED_STATUS = "planned"


def _plan_entered_mitigation(point: ResistancePoint, status_chosen: bool) -> bool:
    """Mark an open point `planned` once it has a strategy and a named owner.

    "Open" means no plan yet, and a strategy with an owner is one, so the
    status follows unless the user chose a status in the same edit
    (docs/domain.md, "Has a mitigation plan"). Returns whether it changed.
    """
    if status_chosen or point.status != NO_PLAN_STATUS:
        return False
    if not (point.strategy and point.owner.strip()):
        return False
    point.status = PLANNED_STATUS
    return True


@transaction.atomic
def create_resistance_point(engagement, *, actor=None, **fields) -> ResistancePoint:
    _check_due_week(engagement, fields.get("due_week"))
    point = ResistancePoint(engagement=engagement, **fields)
    # On a new point "open" is the default, not a choice.
    _plan_entered_mitigation(point, status_chosen=point.status != NO_PLAN_STATUS)
    save_versioned(point, None)
    engagement_changed(engagement)
    _record(engagement, point, "resistance_point", actor, "created")
    return point


@transaction.atomic
def update_resistance_point(
    point: ResistancePoint, *, expected_version: int | None, actor=None, **changes
) -> ResistancePoint:
    before = _apply(point, changes)
    if "due_week" in changes:
        _check_due_week(point.engagement, changes["due_week"], before.get("due_week"))
    status_chosen = "status" in changes and changes["status"] != before["status"]
    if _plan_entered_mitigation(point, status_chosen):
        before.setdefault("status", NO_PLAN_STATUS)
    save_versioned(point, expected_version)
    engagement_changed(point.engagement)
    changed = field_changes(point, before)
    _record(point.engagement, point, "resistance_point", actor, "updated", changed)
    return point


@transaction.atomic
def delete_resistance_point(point: ResistancePoint, *, actor=None) -> None:
    _delete(point, "resistance_point", actor)


def set_opposition_reviewed(engagement, reviewed: bool, *, actor=None):
    """Record (or undo) the team's answer "nobody opposed the purchase"."""
    return update_engagement(
        engagement, expected_version=None, actor=actor, opposition_reviewed=reviewed
    )


# --- The stakeholder log and commitments --------------------------------------
# Neither feeds the scores, so a write does not mark the engagement changed.


def _save_new(instance, obj_type: str, actor):
    save_versioned(instance, None)
    _record(instance.engagement, instance, obj_type, actor, "created")
    return instance


def _save_changes(instance, obj_type: str, actor, changes: dict, expected_version: int | None):
    before = _apply(instance, changes)
    save_versioned(instance, expected_version)
    _record(
        instance.engagement, instance, obj_type, actor, "updated", field_changes(instance, before)
    )
    return instance


@transaction.atomic
def create_log_entry(stakeholder: Stakeholder, *, actor=None, **fields) -> StakeholderLogEntry:
    entry = StakeholderLogEntry(
        engagement=stakeholder.engagement, stakeholder=stakeholder, recorded_by=actor, **fields
    )
    return _save_new(entry, "log_entry", actor)


@transaction.atomic
def update_log_entry(
    entry: StakeholderLogEntry, *, expected_version: int | None = None, actor=None, **changes
) -> StakeholderLogEntry:
    """`expected_version` refuses the edit (EditConflict) if someone saved the entry since."""
    return _save_changes(entry, "log_entry", actor, changes, expected_version)


@transaction.atomic
def delete_log_entry(entry: StakeholderLogEntry, *, actor=None) -> None:
    """Commitments agreed in the entry stay, unlinked: the promise still stands."""
    _delete(entry, "log_entry", actor, scored=False)


@transaction.atomic
def create_commitment(stakeholder: Stakeholder, *, actor=None, **fields) -> Commitment:
    commitment = Commitment(engagement=stakeholder.engagement, stakeholder=stakeholder, **fields)
    return _save_new(commitment, "commitment", actor)


@transaction.atomic
def update_commitment(
    commitment: Commitment, *, expected_version: int | None = None, actor=None, **changes
) -> Commitment:
    """Marking done is an update of `status`; without `expected_version` the
    fields changed are merged onto the row as stored (common/concurrency.py)."""
    return _save_changes(commitment, "commitment", actor, changes, expected_version)


@transaction.atomic
def delete_commitment(commitment: Commitment, *, actor=None) -> None:
    _delete(commitment, "commitment", actor, scored=False)


@dataclass(frozen=True)
class ImportProblem:
    """One reason an import row cannot be saved: spreadsheet row number and column."""

    row: int
    column: str
    message: str


class StakeholderImportError(Exception):
    """The import was refused; nothing was written. `problems` lists every reason."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the import; nothing was imported.")


# Engagement-file names of the import rows that differ from the model's fields.
IMPORT_FIELD_TO_MODEL = {"engagement": "engagement_level"}
MODEL_FIELD_TO_IMPORT = {model: name for name, model in IMPORT_FIELD_TO_MODEL.items()}
# Keys of an import row that are not stakeholder fields.
IMPORT_META_KEYS = ("row", "key", "group")


def _problems_from(error: ValidationError, row_number: int) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    for field, messages in error.message_dict.items():
        column = MODEL_FIELD_TO_IMPORT.get(field, field)
        if column == "__all__":
            column = "name" if any("already exists" in m for m in messages) else "row"
        problems.extend(ImportProblem(row_number, column, message) for message in messages)
    return problems


@transaction.atomic
def import_stakeholders(engagement, rows: list[dict]) -> list[Stakeholder]:
    """Create every stakeholder of `rows`, or none of them.

    Each row is a dict of engagement-file field names (`engagement`, not the
    model's `engagement_level`) with typed values, plus `row` (its number in the
    uploaded file, for messages), an optional `key`, and `group`: the key or
    name of a group earlier or later in the rows, or of a group already in the
    engagement. Groups are created first so a person may name a group that
    comes after it in the file. Every row is validated (the model's
    `full_clean`, so the rules are the ones the forms and the API apply) and
    every problem is collected before `StakeholderImportError` rolls the whole
    import back. Returns the created stakeholders in the order of `rows`.
    """
    # Callers without a file (the API) may leave out row numbers: count from 1.
    rows = [{"row": number, **row} for number, row in enumerate(rows, start=1)]
    problems: list[ImportProblem] = []
    existing_groups = {
        group.name.casefold(): group for group in engagement.stakeholders.filter(kind="group")
    }
    existing_names = {
        name.casefold() for name in engagement.stakeholders.values_list("name", flat=True)
    }
    first_row_by_name: dict[str, int] = {}
    for row in rows:
        folded = (row.get("name") or "").strip().casefold()
        if not folded:
            continue
        if folded in existing_names:
            problems.append(
                ImportProblem(
                    row["row"],
                    "name",
                    f"“{row['name']}” already exists in this engagement; rename it or leave it "
                    "out (an import never merges into an existing stakeholder).",
                )
            )
        elif folded in first_row_by_name:
            problems.append(
                ImportProblem(
                    row["row"],
                    "name",
                    f"“{row['name']}” is also on row {first_row_by_name[folded]}; "
                    "each stakeholder can appear once.",
                )
            )
        else:
            first_row_by_name[folded] = row["row"]

    file_group_refs: dict[str, dict] = {}
    for row in rows:
        if row.get("kind") == "group":
            for ref in (row.get("key"), row.get("name")):
                if ref:
                    file_group_refs.setdefault(ref.strip().casefold(), row)
    created_by_row: dict[int, Stakeholder] = {}
    ordered = sorted(rows, key=lambda r: (r.get("kind") != "group", r["row"]))
    for row in ordered:
        fields = {
            IMPORT_FIELD_TO_MODEL.get(name, name): value
            for name, value in row.items()
            if name not in IMPORT_META_KEYS
        }
        group_ref = (row.get("group") or "").strip()
        if group_ref:
            folded = group_ref.casefold()
            if folded in file_group_refs:
                # None when the group's own row failed; its problem is reported there.
                fields["group"] = created_by_row.get(file_group_refs[folded]["row"])
            elif folded in existing_groups:
                fields["group"] = existing_groups[folded]
            else:
                problems.append(
                    ImportProblem(
                        row["row"],
                        "group",
                        f"No group “{group_ref}” in the file or in this engagement.",
                    )
                )
        stakeholder = Stakeholder(engagement=engagement, **fields)
        if _estimated_by_hand(fields, {}):
            _date_estimate(stakeholder, fields)
        try:
            stakeholder.full_clean()
        except ValidationError as error:
            problems.extend(
                p
                for p in _problems_from(error, row["row"])
                # Duplicates are reported above with the row they clash with.
                if not (p.column == "name" and "already exists" in p.message)
            )
            continue
        # Saved even when an earlier row failed, so later rows are checked
        # against it; the transaction is rolled back before anything is kept.
        stakeholder.save()
        created_by_row[row["row"]] = stakeholder
    if problems:
        problems.sort(key=lambda p: (p.row, p.column))
        raise StakeholderImportError(problems)
    engagement_changed(engagement)
    return [created_by_row[row["row"]] for row in rows]


class _DryRun(Exception):
    pass


def preview_stakeholder_import(engagement, rows: list[dict]) -> list[Stakeholder]:
    """What `import_stakeholders` would create, without keeping any of it.

    Runs the real import (so the preview is checked by exactly the same rules)
    and rolls it back. The returned stakeholders are unsaved snapshots.
    """
    try:
        with transaction.atomic():
            created = import_stakeholders(engagement, rows)
            raise _DryRun
    except _DryRun:
        pass
    return created


# --- The workspace's own phrases -------------------------------------------------


def add_workspace_phrase(workspace, **fields) -> WorkspacePhrase:
    phrase = WorkspacePhrase(workspace=workspace, **fields)
    phrase.full_clean()
    phrase.save()
    return phrase


def delete_workspace_phrase(phrase: WorkspacePhrase) -> None:
    phrase.delete()
