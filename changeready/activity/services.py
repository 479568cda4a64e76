"""Activity history: who changed what in an engagement, and when.

The write services call `record_activity` after each successful write, in
the same transaction, so a refused write leaves no trace and no write path
is forgotten. An update records the fields that changed, old and new, as
people read them ("influence 3 → 4").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from changeready.activity.models import ActivityEvent

VERBS = frozenset(
    {
        "created",
        "updated",
        "deleted",
        "accepted",
        "generated",
        "imported",
        "sent",
        "closed",
        "revoked",
        "reset",
        "applied",
        "invited",
        "commented",
        "asked",
        "exported",
        "erased",
    }
)
OBJECT_TYPES = {
    "engagement": ("engagement", "engagements.Engagement"),
    "stakeholder": ("stakeholder", "landscape.Stakeholder"),
    "resistance_point": ("resistance point", "landscape.ResistancePoint"),
    "log_entry": ("stakeholder log entry", "landscape.StakeholderLogEntry"),
    "commitment": ("commitment", "landscape.Commitment"),
    "plan": ("activation plan", "planning.PlanState"),
    "plan_item": ("plan item", "planning.PlanItem"),
    "adoption_target": ("adoption target", "planning.AdoptionTarget"),
    "handoff": ("handoff", None),
    "survey": ("pulse survey", "surveys.Survey"),
    "plan_rule": ("plan rule", "planning.WorkspaceRule"),
    "engagement_template": ("engagement template", "engagement_templates.EngagementTemplate"),
    "kpi": ("KPI", "usage.Kpi"),
    "usage_mapping": ("identity mapping", None),
    "ingestion_token": ("ingestion token", "usage.IngestionToken"),
    "contributor": ("customer contributor", "portal.Contributor"),
}
VERB_PHRASES = {
    "created": "added",
    "updated": "changed",
    "reset": "reset to built-in",
    "revoked": "withdrew",
    "applied": "applied the results of",
    "commented": "commented on",
    "asked": "asked for help with",
    "exported": "exported the personal data of",
    "erased": "erased the personal data of",
}
TEXT_PREVIEW = 60


def _model(obj_type: str):
    dotted = OBJECT_TYPES.get(obj_type, (None, None))[1]
    if dotted is None:
        return None
    try:
        return apps.get_model(dotted)
    except LookupError:
        return None


def _field_label(model, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name.replace("_", " ")


def _readable(field, value) -> object:
    """A value as a person reads it, and JSON can store."""
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        # Stored as text, so written in the server's time zone, to the minute.
        return timezone.localtime(value).strftime("%-d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %b %Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value) or "—"
    if isinstance(value, str) and len(value) > TEXT_PREVIEW:
        return value[: TEXT_PREVIEW - 1] + "…"
    if isinstance(value, int | float):
        return value
    return str(value)


def stored_values(instance, fields: Iterable[str]) -> dict:
    """The values of `fields` as stored now (before an update is saved).

    Read from the database because a model form has already written the new
    values onto the instance by the time the service runs. One query.
    """
    attnames = {}
    for name in fields:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            attnames[name] = field.attname
    if not attnames or instance.pk is None:
        return {}
    row = type(instance)._base_manager.filter(pk=instance.pk).values(*attnames.values()).first()
    if row is None:
        return {}
    return {name: row[attname] for name, attname in attnames.items()}


def field_changes(instance, before: Mapping[str, object]) -> dict[str, list]:
    """{field: [old, new]} for each field whose value moved, readable values."""
    changes = {}
    for name, old in before.items():
        field = instance._meta.get_field(name)
        new = getattr(instance, field.attname)
        if old == new:
            continue
        if field.is_relation:  # a related object's id says nothing to a reader
            changes[name] = ["—" if old is None else "set", "—" if new is None else "set"]
        else:
            changes[name] = [_readable(field, old), _readable(field, new)]
    return changes


def dict_changes(before: Mapping, after: Mapping) -> dict[str, list]:
    """{key: [old, new]} for each key whose value moved between two dicts, readable values.

    For records kept as a JSON document (a plan rule) rather than as fields.
    """
    return {
        key: [_readable(None, before.get(key)), _readable(None, after.get(key))]
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    }


def describe(
    verb: str,
    obj_type: str,
    label: str,
    changes: Mapping[str, list] | None,
    detail: str = "",
) -> str:
    """The sentence after the actor's name: "changed stakeholder “Shift leads”: influence 3 → 4"."""
    type_label = OBJECT_TYPES.get(obj_type, (obj_type.replace("_", " "), None))[0]
    text = f"{VERB_PHRASES.get(verb, verb)} {type_label} “{label}”"
    parts = [detail] if detail else []
    if changes:
        model = _model(obj_type)
        parts.extend(
            f"{_field_label(model, name)} {old} → {new}" for name, (old, new) in changes.items()
        )
    if parts:
        text += ": " + "; ".join(parts)
    return text


def actor_label(actor) -> str:
    if actor is None:
        return "changeready"  # an automatic change: a command or a scheduled job
    return getattr(actor, "display_name", None) or str(actor)


def record_activity(
    engagement,
    *,
    actor,
    verb: str,
    obj_type: str,
    obj_id,
    label: str,
    changes=None,
    detail: str = "",
    actor_name: str | None = None,
) -> ActivityEvent:
    """Record one change to `engagement`'s data.

    Call it from the write service, after the write, inside its transaction.
    `actor` is the user who made the change (None for automatic changes);
    `obj_type` one of OBJECT_TYPES; `changes` {field: [old, new]} for updates
    (see `field_changes`); `detail` a short phrase for what is not a field
    change ("3 added, 1 removed"); `actor_name` names someone without an
    account ("Dana Reyes (customer contributor)"), with `actor` None.
    Recording the deletion of the engagement itself keeps the event in the
    workspace, without the engagement.
    """
    return _create(
        engagement.workspace_id,
        engagement.pk,  # None once the engagement itself is deleted
        actor=actor,
        verb=verb,
        obj_type=obj_type,
        obj_id=obj_id,
        label=label,
        changes=changes,
        detail=detail,
        actor_name=actor_name,
    )


def record_workspace_activity(
    workspace, *, actor, verb: str, obj_type: str, obj_id, label: str, changes=None
) -> ActivityEvent:
    """Record one change to workspace-wide data (the playbook's rules), in no engagement."""
    return _create(
        workspace.pk,
        None,
        actor=actor,
        verb=verb,
        obj_type=obj_type,
        obj_id=obj_id,
        label=label,
        changes=changes,
    )


def _create(
    workspace_id,
    engagement_id,
    *,
    actor,
    verb,
    obj_type,
    obj_id,
    label,
    changes,
    detail="",
    actor_name=None,
) -> ActivityEvent:
    if verb not in VERBS:
        raise ValueError(f"Unknown activity verb {verb!r}; add it to VERBS.")
    changes = dict(changes or {})
    return ActivityEvent.objects.create(
        workspace_id=workspace_id,
        engagement_id=engagement_id,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor_name or actor_label(actor))[:200],
        verb=verb,
        obj_type=obj_type,
        obj_id=obj_id,
        label=str(label)[:300],
        summary=describe(verb, obj_type, str(label), changes, detail),
        changes=changes,
    )
