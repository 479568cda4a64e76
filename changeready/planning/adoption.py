"""Adoption targets and the actual figures measured against them, set one by
one or imported from a CSV file (all or nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower

from changeready.activity.services import field_changes, record_activity, stored_values
from changeready.common.concurrency import save_versioned
from changeready.common.uploads import NOT_UTF8, UploadRefused, read_csv, refuse_oversize
from changeready.engagements.models import Engagement
from changeready.engagements.services import engagement_changed
from changeready.planning.models import AdoptionTarget
from changeready.planning.plan_state import record_plan_activity


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
        target.source = "manual"
    target.target_pct = target_pct
    save_versioned(target, expected_version)
    engagement_changed(target.engagement)
    _record_target(target, actor, before)
    return target


@transaction.atomic
def set_actual(
    target: AdoptionTarget, actual_pct: float | None, *, expected_version: int | None, actor=None
) -> AdoptionTarget:
    """The weekly-active share typed for the target's group and week.

    A typed figure wins over one measured from usage events; clearing it
    (None) brings the measured figure back, if there is one.
    """
    before = stored_values(target, ["actual_pct"])
    if actual_pct is None:
        target.actual_pct = target.measured_pct
        target.actual_source = "measured" if target.measured_pct is not None else ""
    else:
        target.actual_pct = actual_pct
        target.actual_source = "manual"
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
    field: str = ""  # the row's field at fault, when one is

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


class ActualsImportError(Exception):
    """The file was refused as a whole; `errors` says why, row by row."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Actual:
    stakeholder_id: object  # the stakeholder's UUID
    week: int
    actual_pct: float


@dataclass(frozen=True)
class ActualRow:
    """One row of an actuals CSV: the stakeholder as the file names them."""

    stakeholder_name: str
    week: int
    actual_pct: float


def parse_actuals_csv(raw: bytes) -> list[tuple[int, ActualRow]]:
    """(line, row) for each row; `ActualsImportError` lists every bad row."""
    try:
        refuse_oversize(len(raw), MAX_ACTUALS_BYTES)
        table = read_csv(raw, max_rows=MAX_ACTUALS_ROWS, legacy_encoding=False)
    except UploadRefused as error:
        raise ActualsImportError([RowError(0, str(error))]) from None
    if not any(any(cell.strip() for cell in row) for row in table.rows):
        raise ActualsImportError([RowError(0, "The file is empty.")])
    if table.undecodable_rows:
        raise ActualsImportError([RowError(line, NOT_UTF8) for line in table.undecodable_rows])
    header, *records = table.rows
    columns: dict[str, int] = {}
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
    for line_number, values in enumerate(records, start=2):
        if not any(value.strip() for value in values):
            continue
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
        rows.append((line_number, ActualRow(cells["stakeholder"], week, percent)))
    if errors:
        raise ActualsImportError(errors)
    if not rows:
        raise ActualsImportError([RowError(0, "The file has a header but no rows.")])
    return rows


def _cell(values: list[str], position: int) -> str:
    return values[position].strip() if position < len(values) else ""


def _named_stakeholders(engagement: Engagement, names) -> dict:
    """{name: stakeholder} for each name that is a stakeholder's, compared as the
    uniqueness of names compares them: by the database's lower case (which,
    on SQLite, folds only ASCII letters). One query per distinct name."""
    found = {}
    for name in set(names):
        folded = Lower(Value(name))
        match = (
            engagement.stakeholders.annotate(folded_name=Lower("name"))
            .filter(folded_name=folded)
            .first()
        )
        if match is not None:
            found[name] = match
    return found


def _by_id(rows: Sequence[tuple[int, ActualRow]], stakeholders: dict):
    """The rows with their stakeholder's id, and a RowError for each unknown name."""
    actuals, errors = [], []
    for line, row in rows:
        stakeholder = stakeholders.get(row.stakeholder_name)
        if stakeholder is None:
            errors.append(RowError(line, f"no stakeholder named “{row.stakeholder_name}”."))
        else:
            actuals.append((line, Actual(stakeholder.pk, row.week, row.actual_pct)))
    return actuals, errors


@transaction.atomic
def record_actuals(
    engagement: Engagement, actuals: Sequence[tuple[int, Actual]], *, actor=None
) -> int:
    """Store actual figures against the engagement's adoption targets, all or nothing.

    Each row names a stakeholder of the engagement by id, with an adoption
    target in that week: actuals are measured against targets, so generate
    the plan (or add the target) first.
    """
    stakeholders = {s.pk: s for s in engagement.stakeholders.all()}
    targets = {
        (target.stakeholder_id, target.week): target
        for target in engagement.adoption_targets.select_for_update()
    }
    errors, updated = [], []
    seen: dict[tuple, int] = {}
    for line, actual in actuals:
        stakeholder = stakeholders.get(actual.stakeholder_id)
        if stakeholder is None:
            errors.append(RowError(line, "No such stakeholder in this engagement.", "stakeholder"))
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
        target.actual_source = "manual"
        target.version += 1
        updated.append(target)
    if errors:
        raise ActualsImportError(errors)
    AdoptionTarget.objects.bulk_update(updated, ["actual_pct", "actual_source", "version"])
    engagement_changed(engagement)
    record_plan_activity(
        engagement,
        actor,
        detail=f"{len(updated)} actual adoption figure{'s' * (len(updated) != 1)} recorded",
    )
    return len(updated)


def import_actuals(engagement: Engagement, csv_file, *, actor=None) -> int:
    """Import actual adoption from CSV (week, stakeholder name, percent); returns the count.

    All or nothing: any bad row refuses the whole file with every row's problem.
    """
    raw = csv_file.read(MAX_ACTUALS_BYTES + 1)
    rows = parse_actuals_csv(raw)
    names = _named_stakeholders(engagement, (row.stakeholder_name for _, row in rows))
    actuals, errors = _by_id(rows, names)
    if errors:
        raise ActualsImportError(errors)
    return record_actuals(engagement, actuals, actor=actor)
