"""Import an engagement file: check everything, then write everything or nothing.

Checks run in two rounds. First the JSON Schema (all errors, each with the
JSON path of the bad value). If the shape is right, the cross-references
(duplicate keys and names, unknown group, stakeholder or resistance point
keys) and then the models' own validation, again collecting every error.
Only a document without any error is written, in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changeready.common.errors import validation_errors
from changeready.common.text import text_problem
from changeready.core.kpis import direction_problem, implied_direction
from changeready.engagement_file.schema import validator
from changeready.engagements import services as engagement_services
from changeready.engagements.mapping import ENGAGEMENT_PATHS, engagement_changes
from changeready.engagements.models import Engagement
from changeready.landscape.mapping import (
    RESISTANCE_PATHS,
    STAKEHOLDER_PATHS,
    resistance_changes,
    stakeholder_changes,
)
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.models import AdoptionTarget, PlanItem
from changeready.usage.models import Kpi, KpiValue

MAX_MESSAGE_LENGTH = 300


class EngagementFileInvalid(Exception):
    """The document cannot be imported; `errors` lists each problem with its path."""

    def __init__(self, errors: list[dict], message: str = "The engagement file is not valid."):
        self.errors = errors
        self.message = message
        super().__init__(message)


def format_path(path: list) -> str:
    """`["stakeholders", 2, "influence"]` as `stakeholders[2].influence` for people to read."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the whole file)"


def _sort_key(error: dict):
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in error["path"]]


def _shorten(message: str) -> str:
    if len(message) <= MAX_MESSAGE_LENGTH:
        return message
    return message[: MAX_MESSAGE_LENGTH - 1] + "…"


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse(raw: bytes | str) -> Any:
    """The JSON document in `raw`, or EngagementFileInvalid."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise EngagementFileInvalid(
                [{"path": [], "message": "The file is not UTF-8 text."}],
                "The engagement file is not JSON.",
            ) from None
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise EngagementFileInvalid(
            [{"path": [], "message": _shorten(f"Not valid JSON: {error}")}],
            "The engagement file is not JSON.",
        ) from None


# --- round one: the schema ---------------------------------------------------


def schema_errors(document: Any) -> list[dict]:
    errors = list(_text_errors(document, []))
    for error in validator().iter_errors(document):
        path = list(error.absolute_path)
        instance = error.instance
        if error.validator == "required" and isinstance(instance, dict):
            missing = [name for name in error.validator_value if name not in instance]
            name = next((n for n in missing if repr(n) in error.message), None)
            errors.append(
                {"path": [*path, name] if name else path, "message": "This field is required."}
            )
        elif error.validator == "additionalProperties" and isinstance(instance, dict):
            allowed = set(error.schema.get("properties", {}))
            errors.extend(
                {"path": [*path, key], "message": "Unknown field."}
                for key in instance
                if key not in allowed
            )
        else:
            errors.append({"path": path, "message": _shorten(error.message)})
    return sorted(errors, key=_sort_key)


def _text_errors(value: Any, path: list) -> Iterator[dict]:
    """Control characters, NUL and lone surrogates in any text of the document.

    Checked as multi-line text here; a single-line field's line breaks are
    refused with its model's rules in round three.
    """
    if isinstance(value, str):
        problem = text_problem(value, multiline=True)
        if problem:
            yield {"path": path, "message": problem}
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _text_errors(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_errors(item, [*path, index])


# --- round two: references between the file's parts --------------------------


def _keys(items: list[dict], section: str, errors: list[dict]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, item in enumerate(items):
        key = item["key"]
        if key in positions:
            errors.append(
                {
                    "path": [section, index, "key"],
                    "message": f"Duplicate key {key!r}: {section}[{positions[key]}] has it.",
                }
            )
        else:
            positions[key] = index
    return positions


def reference_errors(document: dict) -> list[dict]:
    errors: list[dict] = []
    stakeholders = document["stakeholders"]
    resistance = document.get("resistance", [])
    plan = document.get("plan", {})
    stakeholder_keys = _keys(stakeholders, "stakeholders", errors)
    resistance_keys = _keys(resistance, "resistance", errors)

    names: dict[str, int] = {}
    for index, stakeholder in enumerate(stakeholders):
        name = stakeholder["name"].strip().lower()
        if name in names:
            errors.append(
                {
                    "path": ["stakeholders", index, "name"],
                    "message": f"Duplicate name: stakeholders[{names[name]}] has it.",
                }
            )
        else:
            names[name] = index

    for index, stakeholder in enumerate(stakeholders):
        if "group" not in stakeholder:
            continue
        path = ["stakeholders", index, "group"]
        group = stakeholder_keys.get(stakeholder["group"])
        if group is None:
            errors.append(
                {"path": path, "message": f"Unknown stakeholder {stakeholder['group']!r}."}
            )
        elif stakeholder["kind"] == "group":
            errors.append({"path": path, "message": "A group cannot belong to another group."})
        elif stakeholders[group]["kind"] != "group":
            errors.append(
                {"path": path, "message": f"{stakeholder['group']!r} is a person, not a group."}
            )

    def check(key: str, known: dict, path: list, what: str) -> None:
        if key not in known:
            errors.append({"path": path, "message": f"Unknown {what} {key!r}."})

    for index, point in enumerate(resistance):
        check(
            point["stakeholder"],
            stakeholder_keys,
            ["resistance", index, "stakeholder"],
            "stakeholder",
        )
    for index, item in enumerate(plan.get("items", [])):
        for position, key in enumerate(item.get("audience", [])):
            path = ["plan", "items", index, "audience", position]
            check(key, stakeholder_keys, path, "stakeholder")
        if "resistance_point" in item:
            path = ["plan", "items", index, "resistance_point"]
            check(item["resistance_point"], resistance_keys, path, "resistance point")
    seen_weeks: dict[tuple[str, int], int] = {}
    for index, target in enumerate(plan.get("adoption_targets", [])):
        path = ["plan", "adoption_targets", index]
        check(target["stakeholder"], stakeholder_keys, [*path, "stakeholder"], "stakeholder")
        slot = (target["stakeholder"], target["week"])
        if slot in seen_weeks:
            errors.append(
                {
                    "path": [*path, "week"],
                    "message": f"plan.adoption_targets[{seen_weeks[slot]}] already sets this "
                    "stakeholder's target for this week.",
                }
            )
        else:
            seen_weeks[slot] = index
    for index, kpi in enumerate(plan.get("kpis", [])):
        path = ["plan", "kpis", index]
        if "stakeholder" in kpi:
            check(kpi["stakeholder"], stakeholder_keys, [*path, "stakeholder"], "stakeholder")
        kpi_weeks: dict[int, int] = {}
        for position, value in enumerate(kpi.get("values", [])):
            if value["week"] in kpi_weeks:
                errors.append(
                    {
                        "path": [*path, "values", position, "week"],
                        "message": f"values[{kpi_weeks[value['week']]}] already sets this week.",
                    }
                )
            kpi_weeks.setdefault(value["week"], position)
    return sorted(errors, key=_sort_key)


def check_document(document: Any) -> list[dict]:
    """Every schema and reference problem of `document` (empty when it can be imported)."""
    errors = schema_errors(document)
    if errors:
        return errors
    return reference_errors(document)


# --- round three: the models, then the write ------------------------------------


def _model_errors(instance, prefix: list, paths: dict, exclude: Iterable[str]) -> list[dict]:
    # Foreign keys point at objects built here, not yet in the database, and
    # uniqueness was checked above, so neither needs a query.
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            {"path": [*prefix, *e["path"]], "message": e["message"]}
            for e in validation_errors(error, paths)
        ]
    return []


def _keep_file_order(model, objects: list) -> None:
    # Bulk inserts can share a timestamp; lists are ordered by creation time,
    # so give each row its own instant in the file's order.
    start = timezone.now()
    for position, obj in enumerate(objects):
        obj.created_at = start + timedelta(microseconds=position)
    if objects:
        model.objects.bulk_update(objects, ["created_at"], batch_size=500)


def import_engagement(
    workspace, document: Any, *, actor=None, activity_verb: str = "imported"
) -> Engagement:
    """Create one engagement with everything in `document`, or raise EngagementFileInvalid.

    `activity_verb` names the creation in the history ("created" from a template)."""
    errors = check_document(document)
    if errors:
        raise EngagementFileInvalid(errors)

    # The plan window is derived from the kickoff and renewal dates: a file's
    # `first_week` and `last_week` are read by nobody.
    plan = document.get("plan", {})
    engagement_fields = engagement_changes(document["engagement"])
    candidate = Engagement(workspace=workspace, **engagement_fields)
    engagement_paths = {field: ["engagement", *path] for field, path in ENGAGEMENT_PATHS.items()}
    errors = _model_errors(candidate, [], _prefixed(candidate, engagement_paths), ["workspace"])

    stakeholders: dict[str, Stakeholder] = {}
    for data in document["stakeholders"]:
        fields = stakeholder_changes({k: v for k, v in data.items() if k != "group"}, None)
        stakeholders[data["key"]] = Stakeholder(engagement=candidate, **fields)
    for index, data in enumerate(document["stakeholders"]):
        stakeholder = stakeholders[data["key"]]
        if "group" in data:
            stakeholder.group = stakeholders[data["group"]]
        errors += _model_errors(
            stakeholder, ["stakeholders", index], STAKEHOLDER_PATHS, ["engagement", "group"]
        )

    points: dict[str, ResistancePoint] = {}
    for index, data in enumerate(document.get("resistance", [])):
        fields = resistance_changes(data, stakeholders.__getitem__)
        point = ResistancePoint(engagement=candidate, **fields)
        points[data["key"]] = point
        errors += _model_errors(
            point, ["resistance", index], RESISTANCE_PATHS, ["engagement", "stakeholder"]
        )

    items: list[tuple[PlanItem, list[Stakeholder]]] = []
    for index, data in enumerate(plan.get("items", [])):
        item = PlanItem(
            engagement=candidate,
            week=data["week"],
            title=data["title"],
            description=data.get("description", ""),
            kind=data["kind"],
            owner_role=data["owner_role"],
            owner=data.get("owner", ""),
            workstream=data.get("workstream", ""),
            format=data.get("format", ""),
            adkar_target=data.get("adkar_target", ""),
            resistance_point=points.get(data.get("resistance_point")),
            status=data.get("status", "planned"),
            origin=data.get("origin", "manual"),
        )
        # A key listed twice is one person in the audience, not two rows.
        audience = [stakeholders[key] for key in dict.fromkeys(data.get("audience", []))]
        items.append((item, audience))
        errors += _model_errors(
            item, ["plan", "items", index], {}, ["engagement", "resistance_point"]
        )

    targets = []
    for index, data in enumerate(plan.get("adoption_targets", [])):
        target = AdoptionTarget(
            engagement=candidate,
            stakeholder=stakeholders[data["stakeholder"]],
            week=data["week"],
            target_pct=data["target_pct"],
            actual_pct=data.get("actual_pct"),
            # A target in a file is a commitment made with the customer.
            source="manual",
        )
        if target.actual_pct is not None:
            # An actual figure in a file was typed somewhere, unless the file says
            # it was measured (then measuring here may replace it).
            target.actual_source = data.get("actual_source", "manual")
            if target.actual_source == "measured":
                target.measured_pct = target.actual_pct
        targets.append(target)
        errors += _model_errors(
            target, ["plan", "adoption_targets", index], {}, ["engagement", "stakeholder"]
        )

    kpis: list[tuple[Kpi, list[KpiValue]]] = []
    for index, data in enumerate(plan.get("kpis", [])):
        path = ["plan", "kpis", index]
        baseline, target = data.get("baseline"), data["target"]
        problem = direction_problem(baseline, target, data.get("direction"))
        if problem:
            errors.append({"path": [*path, "direction"], "message": problem})
        kpi = Kpi(
            engagement=candidate,
            name=data["name"],
            stakeholder=stakeholders.get(data.get("stakeholder")),
            unit=data.get("unit", ""),
            direction=data.get("direction") or implied_direction(baseline, target) or "increase",
            baseline=baseline,
            target=target,
            due_week=data.get("due_week"),
            measure="typed",
        )
        values = [
            KpiValue(kpi=kpi, week=v["week"], value=v["value"]) for v in data.get("values", [])
        ]
        kpis.append((kpi, values))
        errors += _model_errors(kpi, path, {}, ["engagement", "stakeholder"])

    if errors:
        raise EngagementFileInvalid(sorted(errors, key=_sort_key))
    return _write(
        workspace,
        engagement_fields,
        candidate,
        stakeholders,
        points,
        items,
        targets,
        actor,
        kpis,
        activity_verb,
    )


def _prefixed(candidate: Engagement, paths: dict) -> dict:
    # Fields of the engagement object itself live under "engagement" in the file.
    prefixed = {field.attname: ["engagement", field.name] for field in candidate._meta.fields}
    return {**prefixed, **paths}


@transaction.atomic
def _write(
    workspace,
    engagement_fields,
    candidate,
    stakeholders,
    points,
    items,
    targets,
    actor,
    kpis,
    activity_verb,
):
    # One event stands for the engagement and everything in it.
    engagement = engagement_services.create_engagement(
        workspace=workspace, actor=actor, activity_verb=activity_verb, **engagement_fields
    )

    children = [*stakeholders.values(), *points.values(), *(i for i, _ in items), *targets]
    for child in children:
        child.engagement = engagement

    stakeholder_list = list(stakeholders.values())
    Stakeholder.objects.bulk_create(stakeholder_list, batch_size=500)
    _keep_file_order(Stakeholder, stakeholder_list)
    point_list = list(points.values())
    ResistancePoint.objects.bulk_create(point_list, batch_size=500)
    _keep_file_order(ResistancePoint, point_list)
    item_list = [item for item, _ in items]
    PlanItem.objects.bulk_create(item_list, batch_size=500)
    _keep_file_order(PlanItem, item_list)
    Audience = PlanItem.audience.through
    Audience.objects.bulk_create(
        [
            Audience(planitem_id=item.id, stakeholder_id=stakeholder.id)
            for item, audience in items
            for stakeholder in audience
        ],
        batch_size=1000,
    )
    AdoptionTarget.objects.bulk_create(targets, batch_size=500)
    for kpi, _ in kpis:
        kpi.engagement = engagement
    kpi_list = [kpi for kpi, _ in kpis]
    Kpi.objects.bulk_create(kpi_list, batch_size=200)
    _keep_file_order(Kpi, kpi_list)
    KpiValue.objects.bulk_create([v for _, values in kpis for v in values], batch_size=1000)
    engagement_services.engagement_changed(engagement)
    return engagement
