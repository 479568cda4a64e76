"""Optimistic concurrency for records people edit at the same time.

Editable records carry a `version` that every save increments. A write states
the version it was based on; if someone saved in between, the write is refused
with `EditConflict` instead of silently overwriting their change.

A write that states no version (an API PATCH without If-Match, a one-field
toggle) is merged instead: under the row lock, only the fields this writer
changed since it loaded the record are written, onto the row as it is now, so
a change someone else saved meanwhile to another field survives.
"""

from __future__ import annotations

import copy

from django.db import models, transaction

# What a field's value may be changed in place as: JSON fields load as these.
_MUTABLE_VALUES = (list, dict, set, bytearray)


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

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_loaded_values()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self._remember_loaded_values(fields)

    def _remember_loaded_values(self, names=None) -> None:
        """Note the values as stored, to tell later which fields this writer changed.

        A copy of a list or dict (a JSON field), so one changed in place still
        counts as changed; other values (text, numbers, dates, UUIDs) are never
        changed in place, and copying each of them made loading a few thousand
        rows take a visible part of a second. `names` limits it to the fields
        just read (a deferred field loading).
        """
        loaded = {} if names is None else getattr(self, "_loaded_values", {})
        for field in self._meta.concrete_fields:
            if names is not None and field.name not in names and field.attname not in names:
                continue
            if field.attname in self.__dict__:
                value = self.__dict__[field.attname]
                loaded[field.attname] = (
                    copy.deepcopy(value) if isinstance(value, _MUTABLE_VALUES) else value
                )
        self._loaded_values = loaded

    def changed_fields(self) -> list[models.Field]:
        """The fields set to a new value since the record was loaded (all if it was not)."""
        loaded = getattr(self, "_loaded_values", None)
        return [
            field
            for field in self._meta.concrete_fields
            if not field.primary_key
            and field.attname != "version"
            and (
                loaded is None
                or (
                    field.attname in self.__dict__  # a deferred field never read was not set
                    and (
                        field.attname not in loaded
                        or self.__dict__[field.attname] != loaded[field.attname]
                    )
                )
            )
        ]


def save_versioned(instance: VersionedModel, expected_version: int | None) -> VersionedModel:
    """Validate and save `instance`, refusing if its row moved past `expected_version`.

    `expected_version=None` means the caller did not take part in the check
    (e.g. an API PATCH without If-Match): its changed fields are written onto
    the row as stored now, and the instance comes back holding that merged
    row. The save bumps the version either way, so the others notice.
    """
    if instance._state.adding:
        instance.full_clean()
        with transaction.atomic():
            instance.save()
        instance._remember_loaded_values()
        return instance
    with transaction.atomic():
        current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        changed = instance.changed_fields()
        changed_names = {field.attname for field in changed}
        for field in instance._meta.concrete_fields:
            if field.attname not in changed_names:
                setattr(instance, field.attname, current.__dict__[field.attname])
        instance.version = current.version + 1
        # Validated as it will be stored: the merge may have brought in others' values.
        instance.full_clean()
        auto_now = [
            field for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)
        ]
        instance.save(update_fields={field.name for field in [*changed, *auto_now]} | {"version"})
    instance._remember_loaded_values()
    return instance
