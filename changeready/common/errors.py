"""Field errors with a path, shared by every reader of structured input.

The API's 422 bodies and the engagement file import both report a model's
`ValidationError` as `{"path": [...], "message": ...}` entries, each path
naming the field as the input spells it (`["stakeholders", 2, "influence"]`).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

Path = list[str | int]


def validation_errors(error: ValidationError, paths: Mapping[str, Path]) -> list[dict]:
    """A model's ValidationError as field errors, model field names mapped to input paths."""
    if not hasattr(error, "error_dict"):
        return [{"path": [], "message": message} for message in error.messages]
    result: list[dict[str, object]] = []
    for field, field_errors in error.message_dict.items():
        default: Path = [] if field == NON_FIELD_ERRORS else [field]
        path = list(paths.get(field, default))
        result.extend({"path": path, "message": message} for message in field_errors)
    return result
