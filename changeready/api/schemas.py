"""Building blocks shared by every app's API schemas."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Header, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    field_validator,
)

from changeready.api.errors import invalid
from changeready.common.dates import EARLIEST, LATEST, checked_date
from changeready.common.text import text_problem


def _refuse_control_characters(value: Any) -> Any:
    # Checked for every text in a body, nested ones included; a single-line
    # field's line breaks are refused by its model (`common/models.py`).
    texts = value if isinstance(value, list | tuple) else [value]
    for text in texts:
        problem = isinstance(text, str) and text_problem(text, multiline=True)
        if problem:
            raise ValueError(problem)
    return value


class InputSchema(Schema):
    """A request body: unknown fields are refused (a typo must not be silently
    ignored), and so is text with control characters, NUL or lone surrogates."""

    model_config = ConfigDict(extra="forbid")

    _text = field_validator("*", mode="before")(_refuse_control_characters)


def _json_number(value: Any) -> Any:
    # JSON has no numeric strings and no numeric booleans: "3" and true are
    # type errors, as the schema says, not values to coerce. (3.0 is an
    # integer in JSON Schema, so pydantic's own int check still accepts it.)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a number")
    return value


def _json_string(value: Any) -> Any:
    # pydantic would read a number as a Unix timestamp; in JSON a date is a string.
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


# Dates outside the ones the app computes with are refused (docs in `common/dates.py`).
JsonDate = Annotated[date, BeforeValidator(_json_string), AfterValidator(checked_date)]
AsOf = Annotated[
    date,
    AfterValidator(checked_date),
    Field(description=f"A day between {EARLIEST} and {LATEST}; today without it."),
]
JsonInt = Annotated[int, BeforeValidator(_json_number)]
JsonFloat = Annotated[float, BeforeValidator(_json_number)]
Bool = StrictBool
Level = Annotated[JsonInt, Field(ge=1, le=5)]
AdkarScore = Annotated[JsonFloat, Field(ge=1, le=5, allow_inf_nan=False)]
Text200 = Annotated[str, StringConstraints(max_length=200)]
Name200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("Enter a valid email address.") from None
    return value


Email = Annotated[
    str,
    StringConstraints(max_length=254),
    AfterValidator(_email),
    Field(json_schema_extra={"format": "email"}),
]


def choice(values: tuple[str, ...]):
    return Literal[values]


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omitted(**constraints: Any) -> Any:
    """A PATCH field that may be left out but, when given, must not be null."""
    return Field(None, json_schema_extra=_drop_default, **constraints)


class Contact(InputSchema):
    name: Name200
    email: Email | None = None


class ContactOut(Schema):
    name: str
    email: str | None


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=500, description="Items per page (1-500).")
    offset: int = Field(0, ge=0, le=10**9, description="Items to skip.")


IF_MATCH_PATTERN = r'^(\*|(W/)?"?[0-9]{1,9}"?)$'

# A PATCH operation's `if_match: str = IfMatch`.
IfMatch = Header(
    None,
    alias="If-Match",
    pattern=IF_MATCH_PATTERN,
    description='The `version` your change is based on (`3` or `"3"`); if the object '
    "has moved on since, the change is refused with 409. `*` or no header: no check.",
)


def parse_if_match(value: str | None) -> int | None:
    """The version from an If-Match header that matched IF_MATCH_PATTERN, or None."""
    if value is None:
        return None
    raw = value.strip().removeprefix("W/").strip('"')
    if raw == "*":
        return None
    if not raw.isdigit():
        raise invalid(["header", "If-Match"], "If-Match must be the object's version number.")
    return int(raw)
