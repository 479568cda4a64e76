"""Optimistic concurrency for records people edit at the same time.

Editable records carry a `version` that every save increments. A write states
the version it was based on; if someone saved in between, the write is refused
with `EditConflict` instead of silently overwriting their change.
"""

from __future__ import annotations

from django.db import models, transaction


class EditConflict(Exception):
    """The record changed since the writer loaded it."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            f"This {current._meta.verbose_name} was changed by someone else "
            f"(now version {current.version}). Reload to see their change."
        )


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(instance: VersionedModel, expected_version: int | None) -> VersionedModel:
    """Validate and save `instance`, refusing if its row moved past `expected_version`.

    `expected_version=None` means the caller did not take part in the check
    (e.g. an API PATCH without If-Match); the save still bumps the version so
    the others notice.
    """
    instance.full_clean()
    with transaction.atomic():
        if instance._state.adding:
            instance.save()
            return instance
        current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        instance.version = current.version + 1
        instance.save()
    return instance
