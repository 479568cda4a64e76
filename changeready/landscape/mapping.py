"""Stakeholders and resistance points in the shape of the engagement file and the API.

The file and the API use the same names and nesting (docs/domain.md): the
stakeholder's `engagement` is the model's `engagement_level`, `adkar` is an
object, a resistance point's mitigation is a nested object. The importer, the
exporter and the API handlers all convert through here (the engagement's own
fields through `engagements/mapping.py`), so the three cannot drift apart.

`*_changes` take a partial, already type-checked dict in file/API shape and
return model field values; references (group, stakeholder) are resolved by the
caller-supplied function, which raises for an unknown reference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS

from changeready.core.model import ADKAR_ELEMENTS
from changeready.engagements.mapping import blank_if_null
from changeready.landscape.models import ResistancePoint, Stakeholder

# Model field -> path inside the file/API object, for error reports.
STAKEHOLDER_PATHS: dict[str, list] = {
    # The stakeholder's only whole-object check is its unique name.
    NON_FIELD_ERRORS: ["name"],
    "engagement_level": ["engagement"],
    **{f"adkar_{element}": ["adkar", element] for element in ADKAR_ELEMENTS},
}
MITIGATION_FIELDS = ("strategy", "owner", "due_week", "status", "notes")
RESISTANCE_PATHS: dict[str, list] = {field: ["mitigation", field] for field in MITIGATION_FIELDS}

STAKEHOLDER_DIRECT = (
    "kind",
    "name",
    "title",
    "email",
    "role",
    "opposed_purchase",
    "influence",
    "interest",
    "impact",
    "desired_engagement",
    "involvement",
    "success_definition",
    "resistance_triggers",
    "job_gets_harder",
    "authority_decreases",
    "adkar_assessed_on",
    "adkar_source",
    "headcount",
    "is_champion",
    "notes",
)
# Text fields stored as "" when absent; a null from a client clears them.
_TEXT_FIELDS = frozenset(
    {
        "title",
        "email",
        "success_definition",
        "resistance_triggers",
        "notes",
        "owner",
        "description",
        "strategy",
    }
)


def _text(field: str, value: Any) -> Any:
    return blank_if_null(field, value, _TEXT_FIELDS)


def stakeholder_changes(
    data: Mapping[str, Any], resolve_group: Callable[[Any], Stakeholder | None]
) -> dict:
    changes = {field: _text(field, data[field]) for field in STAKEHOLDER_DIRECT if field in data}
    if "involvement" in changes and changes["involvement"] is None:
        changes["involvement"] = []
    if "adkar_source" in changes and changes["adkar_source"] is None:
        # Not said: the landscape service decides (a typed score is an estimate).
        del changes["adkar_source"]
    if "engagement" in data:
        changes["engagement_level"] = data["engagement"]
    if "adkar" in data:
        adkar = data["adkar"] or dict.fromkeys(ADKAR_ELEMENTS)
        for element in ADKAR_ELEMENTS:
            if element in adkar:
                changes[f"adkar_{element}"] = adkar[element]
    if "group" in data:
        changes["group"] = None if data["group"] is None else resolve_group(data["group"])
    return changes


def stakeholder_data(stakeholder: Stakeholder) -> dict:
    data = {field: getattr(stakeholder, field) for field in STAKEHOLDER_DIRECT}
    data["engagement"] = stakeholder.engagement_level
    data["involvement"] = list(stakeholder.involvement or [])
    data["adkar"] = stakeholder.adkar_shown
    if stakeholder.adkar_withheld:
        # With fewer than 3 responses, the date of the last answer would tell whose it was.
        data["adkar_assessed_on"] = None
    return data


def resistance_changes(
    data: Mapping[str, Any], resolve_stakeholder: Callable[[Any], Stakeholder]
) -> dict:
    changes = {
        field: _text(field, data[field])
        for field in ("source", "description", "severity")
        if field in data
    }
    if "stakeholder" in data:
        changes["stakeholder"] = resolve_stakeholder(data["stakeholder"])
    if "mitigation" in data:
        mitigation = data["mitigation"]
        if mitigation is None:
            mitigation = {"strategy": "", "owner": "", "due_week": None, "status": "open"}
            mitigation["notes"] = ""
        for field in MITIGATION_FIELDS:
            if field in mitigation:
                value = mitigation[field]
                if field == "status" and value is None:
                    value = "open"
                changes[field] = _text(field, value)
    return changes


def resistance_data(point: ResistancePoint) -> dict:
    return {
        "source": point.source,
        "description": point.description,
        "severity": point.severity,
        "mitigation": {
            "strategy": point.strategy or None,
            "owner": point.owner,
            "due_week": point.due_week,
            "status": point.status,
            "notes": point.notes,
        },
    }
