"""What a template holds, how it is checked, and how an engagement becomes one.

A template is an engagement file without the customer: the `engagement`
section keeps only what describes the change (product, what changes for whom,
adoption mode), `stakeholders` and `resistance` are the file's own sections,
and `plan_settings` carries the adoption ramp. Checking a template is checking
the engagement file it would become, so the paths of its errors are the
file's (`stakeholders[2].influence`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

from jsonschema import Draft202012Validator

from changeready.core.rules import MAX_WEEK
from changeready.engagement_file.importing import check_document
from changeready.engagement_file.schema import FORMAT, engagement_schema, format_checker

TEMPLATE_FORMAT = "changeready.engagement-template/v1"
BUILT_IN_DIR = Path(__file__).resolve().parent / "builtin"
# Built-in templates keep one id everywhere: derived from their file's name.
BUILT_IN_NAMESPACE = UUID("5f1c1c53-3c57-4d3e-9a43-1f2f0a7d2b61")
ENGAGEMENT_FIELDS = ("product", "change_summary", "adoption_mode")
# A stakeholder in a template is a role, not a person: no email, no measured
# or estimated scores of someone in particular, no notes about them.
PERSONAL_FIELDS = ("email", "adkar", "adkar_assessed_on", "adkar_source", "notes", "headcount")
MAX_STAKEHOLDERS = 200
# What checks the template stands in for the customer: never stored.
TRIAL_CUSTOMER = {"name": "Template", "customer": "Template", "go_live_date": "2030-01-07"}


def _template_schema() -> dict:
    engagement = engagement_schema()["properties"]["engagement"]["properties"]
    return {
        "type": "object",
        "required": ["stakeholders"],
        "additionalProperties": False,
        "properties": {
            "engagement": {
                "type": "object",
                "additionalProperties": False,
                "properties": {name: engagement[name] for name in ENGAGEMENT_FIELDS},
            },
            "plan_settings": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "adoption_target_pct": {"type": "number", "minimum": 1, "maximum": 100},
                    "adoption_target_week": {"type": "integer", "minimum": 1, "maximum": MAX_WEEK},
                },
            },
            "stakeholders": {
                "type": "array",
                "maxItems": MAX_STAKEHOLDERS,
                "items": {
                    "type": "object",
                    "not": {"anyOf": [{"required": [name]} for name in PERSONAL_FIELDS]},
                },
            },
            "resistance": {"type": "array", "maxItems": MAX_STAKEHOLDERS * 3},
        },
    }


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_template_schema(), format_checker=format_checker)


def _schema_message(error) -> str:
    if error.validator == "not":
        return "A template holds roles, not people: leave out " + ", ".join(PERSONAL_FIELDS) + "."
    if error.validator == "additionalProperties":
        return "Unknown field: " + error.message.split("(")[-1].rstrip(")") + "."
    return error.message


def as_document(
    content: dict,
    *,
    name: str,
    customer: str,
    go_live_date: date | str,
    kickoff_date: date | str | None = None,
) -> dict:
    """The engagement file a template becomes for one customer (a new dict)."""
    engagement = {
        **copy.deepcopy(content.get("engagement", {})),
        "name": name,
        "customer": customer,
        "go_live_date": str(go_live_date),
    }
    if kickoff_date:
        engagement["kickoff_date"] = str(kickoff_date)
    return {
        "format": FORMAT,
        "engagement": engagement,
        "stakeholders": copy.deepcopy(content.get("stakeholders", [])),
        "resistance": copy.deepcopy(content.get("resistance", [])),
    }


def content_errors(content: Any) -> list[dict]:
    """Every problem of a template's content, each with its path; empty when it is usable."""
    errors = [
        {"path": list(error.absolute_path), "message": _schema_message(error)}
        for error in _validator().iter_errors(content)
    ]
    if errors:
        return errors
    return check_document(as_document(content, **TRIAL_CUSTOMER))


# --- built-in templates ---------------------------------------------------------


@dataclass(frozen=True)
class BuiltInTemplate:
    """A template shipped with the app, the same for every workspace."""

    id: UUID
    slug: str
    name: str
    description: str
    industry: str
    content: dict = field(hash=False, compare=False)
    built_in: bool = True
    created_by = None
    created_at = None


def _read_built_in(path: Path) -> BuiltInTemplate:
    data = json.loads(path.read_text(encoding="utf-8"))
    content = {
        key: data[key] for key in ("engagement", "plan_settings", "stakeholders", "resistance")
    }
    return BuiltInTemplate(
        id=uuid5(BUILT_IN_NAMESPACE, path.stem),
        slug=path.stem,
        name=data["name"],
        description=data["description"],
        industry=data["industry"],
        content=content,
    )


@cache
def built_in_templates() -> tuple[BuiltInTemplate, ...]:
    return tuple(_read_built_in(path) for path in sorted(BUILT_IN_DIR.glob("*.json")))


def built_in_template(template_id) -> BuiltInTemplate | None:
    return next((t for t in built_in_templates() if str(t.id) == str(template_id)), None)


# --- from an engagement to a template --------------------------------------------


ROLE_PLACEHOLDERS = {
    "daily_user": "User",
    "people_manager": "Manager",
    "product_admin": "Product administrator",
    "economic_buyer": "Economic buyer",
    "executive_sponsor": "Executive sponsor",
    "it_security": "IT or security lead",
    "downstream": "Downstream stakeholder",
}


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate.lower() in used:
        candidate = f"{name} {number}"
        number += 1
    used.add(candidate.lower())
    return candidate


def _replace_names(text: str, names: dict[str, str]) -> str:
    # Longest first, so "Anna Berg-Lund" is replaced before "Anna Berg"; whole
    # words only, so a person called "Al" leaves "alerts" alone.
    for old in sorted(names, key=len, reverse=True):
        if old:
            new = names[old]  # a function, so a backslash in a name is not an escape
            text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", lambda _, new=new: new, text)
    return text


def strip_customer(document: dict, *, plan_settings: dict | None = None) -> dict:
    """Template content from an exported engagement file: the customer taken out.

    People become role placeholders (their title, or their role), and their
    names are replaced wherever the text mentions them; the customer's name
    becomes "the customer". Emails, scores, headcounts, notes, how far a
    mitigation got (past "open" it is "planned"), the plan's items, targets and
    KPIs stay with the engagement.
    """
    engagement = document["engagement"]
    stakeholders = document.get("stakeholders", [])
    groups = {s["name"].lower() for s in stakeholders if s["kind"] == "group"}
    used = set(groups)
    customer = {engagement["customer"]: "the customer"}
    names: dict[str, str] = {}
    for stakeholder in stakeholders:
        if stakeholder["kind"] == "person":
            title = _replace_names(stakeholder.get("title", ""), customer)
            placeholder = title or ROLE_PLACEHOLDERS[stakeholder["role"]]
            names[stakeholder["name"]] = _unique(placeholder[:190], used)
    for contact, placeholder in (("delivery_lead", "Delivery lead"), ("cs_owner", "CS owner")):
        if engagement.get(contact, {}).get("name"):
            names.setdefault(engagement[contact]["name"], placeholder)
    names.update(customer)

    def text(value: str) -> str:
        return _replace_names(value, names)

    keys = {s["key"]: f"s{position}" for position, s in enumerate(stakeholders, start=1)}
    content_stakeholders = []
    for stakeholder in stakeholders:
        entry = {
            key: value
            for key, value in stakeholder.items()
            if key not in PERSONAL_FIELDS and key not in ("key", "group")
        }
        entry = {"key": keys[stakeholder["key"]], **entry}
        if stakeholder["kind"] == "person":
            entry["name"] = names[stakeholder["name"]]
        if "group" in stakeholder:
            entry["group"] = keys[stakeholder["group"]]
        for name in ("title", "success_definition", "resistance_triggers"):
            if name in entry:
                entry[name] = text(entry[name])
        content_stakeholders.append(entry)

    known = {s["name"] for s in content_stakeholders} | {"Delivery lead", "CS owner"}
    content_resistance = []
    for position, point in enumerate(document.get("resistance", []), start=1):
        entry = {
            "key": f"r{position}",
            "stakeholder": keys[point["stakeholder"]],
            "source": point["source"],
            "severity": point["severity"],
        }
        if point.get("description"):
            entry["description"] = text(point["description"])
        mitigation = {
            name: value
            for name, value in point.get("mitigation", {}).items()
            if name in ("strategy", "due_week")
        }
        owner = text(point.get("mitigation", {}).get("owner", ""))
        if owner in known:
            mitigation["owner"] = owner
        # A mitigation someone decided on is planned in the next engagement too;
        # how far this customer got with it is theirs.
        if point.get("mitigation", {}).get("status", "open") != "open":
            mitigation["status"] = "planned"
        notes = point.get("mitigation", {}).get("notes")
        if notes:
            mitigation["notes"] = text(notes)
        if mitigation:
            entry["mitigation"] = mitigation
        content_resistance.append(entry)

    section = {name: engagement[name] for name in ENGAGEMENT_FIELDS if name in engagement}
    if "change_summary" in section:
        section["change_summary"] = text(section["change_summary"])
    if "product" in section:
        section["product"] = text(section["product"])
    content = {"engagement": section}
    if plan_settings:
        content["plan_settings"] = plan_settings
    content["stakeholders"] = content_stakeholders
    content["resistance"] = content_resistance
    return content


@dataclass(frozen=True)
class TemplateSummary:
    """What a template brings, in a line or two for the list."""

    groups: tuple[str, ...]
    people: tuple[str, ...]
    resistance_points: int
    adoption_mode: str


def summarize(content: dict) -> TemplateSummary:
    stakeholders = content.get("stakeholders", [])
    return TemplateSummary(
        groups=tuple(s["name"] for s in stakeholders if s["kind"] == "group"),
        people=tuple(s["name"] for s in stakeholders if s["kind"] == "person"),
        resistance_points=len(content.get("resistance", [])),
        adoption_mode=content.get("engagement", {}).get("adoption_mode", "voluntary"),
    )
