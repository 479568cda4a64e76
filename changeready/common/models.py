from collections.abc import Iterable

from django.core.exceptions import ValidationError


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
