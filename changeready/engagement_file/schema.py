"""The engagement file's JSON Schema (Draft 2020-12) and a validator for it."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).resolve().parent / "engagement-v1.schema.json"
FORMAT = "changeready.engagement/v1"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

# jsonschema checks `date` loosely and `date-time` only with an extra package;
# these are strict and match what the models accept.
format_checker = FormatChecker(formats=())


@format_checker.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        raise ValueError("not a YYYY-MM-DD date")
    date.fromisoformat(value)
    return True


@format_checker.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        raise ValueError("not an RFC 3339 date-time with a time zone")
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


@format_checker.checks("email", raises=ValidationError)
def _is_email(value) -> bool:
    if isinstance(value, str):
        validate_email(value)
    return True


@cache
def engagement_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> Draft202012Validator:
    schema = engagement_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker)


def openapi_components(prefix: str = "EngagementFile") -> dict[str, dict]:
    """The schema as OpenAPI 3.1 components: `$defs` moved beside it, references rewritten."""
    schema = engagement_schema()

    def rewrite(node):
        if isinstance(node, dict):
            return {
                key: (
                    f"#/components/schemas/{prefix}_{value.removeprefix('#/$defs/')}"
                    if key == "$ref"
                    else rewrite(value)
                )
                for key, value in node.items()
                if key not in ("$schema", "$id", "$defs")
            }
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    components = {prefix: rewrite(schema)}
    for name, definition in schema.get("$defs", {}).items():
        components[f"{prefix}_{name}"] = rewrite(definition)
    return components
