from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from changeready.common.dates import date_problem
from changeready.common.text import text_problem


def choices(values: Iterable[str]) -> list[tuple[str, str]]:
    """Model and form choices from the core's codes: `go_live` reads `Go live`."""
    return [(value, value.replace("_", " ").capitalize()) for value in values]


def check_same_engagement(instance, field: str) -> None:
    """Refuse a reference from `instance` to another engagement's object.

    Tenancy inside a workspace: a plan item, target or resistance point may
    only point at objects of its own engagement.
    """
    if getattr(instance, f"{field}_id") is None or instance.engagement_id is None:
        return
    if getattr(instance, field).engagement_id != instance.engagement_id:
        name = instance._meta.get_field(field).related_model._meta.verbose_name
        raise ValidationError({field: f"The {name} must belong to the same engagement."})


class CheckedTextModel(models.Model):
    """A model whose text, and dates, are checked like every input (`common/text.py`,
    `common/dates.py`).

    A TextField is multi-line (tab and line breaks allowed); any other text
    field (a name, a title, an email) is single-line; a date must fall in the
    years the app computes with. Checked by `full_clean`, so the forms, the API
    and the imports give the same message on the field.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            problem = _input_problem(field, getattr(self, field.attname))
            if problem:
                errors[field.name] = [problem]
        if errors:
            raise ValidationError(errors)


def _input_problem(field: models.Field, value) -> str | None:
    if isinstance(value, str) and isinstance(field, models.CharField | models.TextField):
        return text_problem(value, multiline=isinstance(field, models.TextField))
    if type(value) is date:  # a datetime (a DateTimeField) is stamped by the app
        return date_problem(value)
    return None
