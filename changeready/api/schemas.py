"""Building blocks shared by every app's API schemas."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from changeready.api.errors import invalid

# Request bodies refuse unknown fields: a typo must not be silently ignored.
STRICT = ConfigDict(extra="forbid")

Level = Annotated[int, Field(ge=1, le=5)]
AdkarScore = Annotated[float, Field(ge=1, le=5, allow_inf_nan=False)]
Text200 = Annotated[str, StringConstraints(max_length=200)]
Name200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Email = Annotated[
    str, StringConstraints(max_length=254), Field(json_schema_extra={"format": "email"})
]


def choice(values: tuple[str, ...]):
    return Literal[values]  # type: ignore[valid-type]


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omitted(**constraints: Any) -> Any:
    """A PATCH field that may be left out but, when given, must not be null."""
    return Field(None, json_schema_extra=_drop_default, **constraints)


class Contact(Schema):
    model_config = STRICT

    name: Name200
    email: Email | None = None


class ContactOut(Schema):
    name: str
    email: str | None


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=500, description="Items per page (1-500).")
    offset: int = Field(0, ge=0, le=10**9, description="Items to skip.")


def parse_if_match(value: str | None) -> int | None:
    """`If-Match: 3` or `If-Match: "3"`: the version the client's change is based on."""
    if value is None or value.strip() in ("", "*"):
        return None
    raw = value.strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    if not raw.isdigit() or len(raw) > 9:
        raise invalid(["header", "If-Match"], "If-Match must be the object's version number.")
    return int(raw)
