"""Building blocks shared by every app's API schemas."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Header, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from changeready.api.errors import invalid
from changeready.common.dates import EARLIEST, LATEST, checked_date
from changeready.common.text import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN, text_problem


def with_text_patterns(node: Any, pattern: str) -> None:
    """Write into a JSON schema what its text may hold, so that clients and
    fuzzers see the rule the input check applies: every plain string (not a
    date, an email, an enum or one with a pattern of its own) gets `pattern`."""
    if not isinstance(node, dict):
        return
    types = node.get("type")
    is_text = "string" in (types if isinstance(types, list) else [types])
    if is_text and not {"format", "pattern", "enum", "const"} & set(node):
        node["pattern"] = pattern
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, ()):
            with_text_patterns(option, pattern)
    with_text_patterns(node.get("items"), pattern)


def _text_patterns(schema: dict[str, Any], model: type[InputSchema]) -> None:
    for name, field_schema in schema.get("properties", {}).items():
        multiline = name in model.multiline_fields
        with_text_patterns(field_schema, MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN)


class InputSchema(Schema):
    """A request body: unknown fields are refused (a typo must not be silently
    ignored), and so is text with control characters, NUL or lone surrogates.

    Text is single-line (a name, a title) unless its field is listed in
    `multiline_fields` (notes, descriptions: tab and line breaks allowed), as in
    the model that stores it (`common/models.py`); the schema says the same
    with a `pattern` on every such string."""

    multiline_fields: ClassVar[frozenset[str]] = frozenset()

    model_config = ConfigDict(extra="forbid", json_schema_extra=_text_patterns)

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        # Checked for every text in a body, nested ones included.
        multiline = info.field_name in cls.multiline_fields
        texts = value if isinstance(value, list | tuple) else [value]
        for text in texts:
            problem = isinstance(text, str) and text_problem(text, multiline=multiline)
            if problem:
                raise ValueError(problem)
        return value


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


# Dates outside the ones the app computes with are refused (docs in `common/dates.py`);
# the schema says so with YEARS_PATTERN on every date (`api.api`).
assert (EARLIEST.year, LATEST.year) == (1970, 2199), "update YEARS_PATTERN"
YEARS_PATTERN = r"^(19[7-9][0-9]|2[01][0-9][0-9])-"
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


def omitted(schema_extra: dict[str, Any] | None = None, **constraints: Any) -> Any:
    """A PATCH field that may be left out but, when given, must not be null.

    `schema_extra` adds to its JSON schema (pydantic cannot combine a field's
    schema dict with this callable)."""

    def without_default(schema: dict[str, Any]) -> None:
        _drop_default(schema)
        schema.update(schema_extra or {})

    return Field(None, json_schema_extra=without_default, **constraints)


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
