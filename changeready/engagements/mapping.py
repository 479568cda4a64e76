"""An engagement in the shape of the engagement file and the API.

The file and the API use the same names and nesting (docs/domain.md): a
contact is `{name, email}`, blackout periods are a list, the ARR a number. The
importer, the exporter and the API handlers all convert through here (and the
landscape's parts through `landscape/mapping.py`), so the three cannot drift
apart.

`*_changes` take a partial, already type-checked dict in file/API shape and
return model field values.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from changeready.engagements.models import Engagement

# Model field -> path inside the file/API object, for error reports.
ENGAGEMENT_PATHS: dict[str, list] = {
    "delivery_lead_name": ["delivery_lead", "name"],
    "delivery_lead_email": ["delivery_lead", "email"],
    "cs_owner_name": ["cs_owner", "name"],
    "cs_owner_email": ["cs_owner", "email"],
}
ENGAGEMENT_DIRECT = (
    "name",
    "customer",
    "product",
    "kickoff_date",
    "go_live_date",
    "phase",
    "change_summary",
    "renewal_date",
    "opposition_reviewed",
    "adoption_mode",
    "blackout_periods",
    "handoff_accepted_at",
)
# Text fields stored as "" when absent; a null from a client clears them.
_TEXT_FIELDS = frozenset({"product", "change_summary"})


def blank_if_null(field: str, value: Any, text_fields: frozenset[str]) -> Any:
    """A null for one of `text_fields` is stored as "" (it clears the field)."""
    return "" if value is None and field in text_fields else value


def _text(field: str, value: Any) -> Any:
    return blank_if_null(field, value, _TEXT_FIELDS)


def _contact(prefix: str, value: Mapping | None) -> dict:
    if value is None:
        return {f"{prefix}_name": "", f"{prefix}_email": ""}
    return {f"{prefix}_name": value.get("name") or "", f"{prefix}_email": value.get("email") or ""}


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def engagement_changes(data: Mapping[str, Any]) -> dict:
    changes = {field: _text(field, data[field]) for field in ENGAGEMENT_DIRECT if field in data}
    for contact in ("delivery_lead", "cs_owner"):
        if contact in data:
            changes.update(_contact(contact, data[contact]))
    if "arr" in data:
        changes["arr"] = _decimal(data["arr"])
    if "blackout_periods" in data:
        # Dates arrive as text from a file and as dates from the API.
        changes["blackout_periods"] = [
            {
                "start": str(period["start"]),
                "end": str(period["end"]),
                "label": period.get("label") or "",
            }
            for period in data["blackout_periods"]
        ]
    return changes


def _contact_data(name: str, email: str) -> dict | None:
    if not name and not email:
        return None
    return {"name": name, "email": email or None}


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def engagement_data(engagement: Engagement) -> dict:
    """Every field of the engagement in file/API shape (absent values are None or "")."""
    data = {field: getattr(engagement, field) for field in ENGAGEMENT_DIRECT}
    data["delivery_lead"] = _contact_data(
        engagement.delivery_lead_name, engagement.delivery_lead_email
    )
    data["cs_owner"] = _contact_data(engagement.cs_owner_name, engagement.cs_owner_email)
    data["arr"] = _number(engagement.arr)
    return data
