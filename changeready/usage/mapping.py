"""Editing the identity mapping: the ordered rules and each group's `counts_as_use`.

Every change re-maps the engagement's known users, recomputes the groups'
weekly figures from the stored per-user counts (never from raw events) and
writes the measured adoption again, so the counts shown are always live.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from changeready.activity.services import record_activity
from changeready.common.text import text_problem
from changeready.landscape.models import Stakeholder
from changeready.usage import rollups
from changeready.usage.matching import engagement_rules, group_of
from changeready.usage.models import (
    EVENT_NAME_MAX,
    MAPPING_KINDS,
    GroupUsage,
    MappingRule,
    UsageState,
    UsageUser,
)

MAX_RULE_VALUES = 1000
MAX_VALUE_CHARS = 254
MAX_COUNTS_AS_USE = 100
REMAP_CHUNK = 2000


def mappable_groups(engagement):
    """The groups users can be mapped to: the engagement's daily-user groups."""
    return Stakeholder.objects.filter(engagement=engagement, kind="group", role="daily_user")


def _clean_values(values) -> list[str]:
    if isinstance(values, str):
        values = values.replace(",", "\n").splitlines()
    cleaned = []
    for value in values or ():
        value = str(value).strip()
        problem = text_problem(value, multiline=False)
        if problem:
            raise ValidationError({"values": problem})
        if value and value not in cleaned:
            cleaned.append(value)
    if not cleaned:
        raise ValidationError({"values": "Give at least one value."})
    if len(cleaned) > MAX_RULE_VALUES:
        raise ValidationError({"values": f"At most {MAX_RULE_VALUES} values a rule."})
    too_long = [value for value in cleaned if len(value) > MAX_VALUE_CHARS]
    if too_long:
        raise ValidationError(
            {"values": f"“{too_long[0][:40]}…” is longer than {MAX_VALUE_CHARS} characters."}
        )
    return cleaned


def build_rule(
    engagement, *, stakeholder, kind: str, values, property_name: str = ""
) -> MappingRule:
    """A validated, unsaved rule (`ValidationError` names the bad field)."""
    if kind not in MAPPING_KINDS:
        raise ValidationError({"kind": f"Choose one of: {', '.join(MAPPING_KINDS)}."})
    if stakeholder is None or stakeholder.engagement_id != engagement.id:
        raise ValidationError({"stakeholder": "Choose a group of this engagement."})
    if stakeholder.kind != "group" or stakeholder.role != "daily_user":
        raise ValidationError(
            {"stakeholder": f"{stakeholder.name} is not a daily-user group: only those are mapped."}
        )
    property_name = (property_name or "").strip()
    if kind == "property" and not property_name:
        raise ValidationError({"property_name": "Name the property, e.g. department."})
    if kind != "property":
        property_name = ""
    rule = MappingRule(
        engagement=engagement,
        stakeholder=stakeholder,
        kind=kind,
        property_name=property_name[:100],
        values=_clean_values(values),
    )
    rule.clean_fields(exclude=["engagement", "stakeholder"])
    return rule


def _record(engagement, actor, detail: str) -> None:
    record_activity(
        engagement,
        actor=actor,
        verb="updated",
        obj_type="usage_mapping",
        obj_id=None,
        label=engagement.name,
        detail=detail,
    )


@transaction.atomic
def add_rule(engagement, *, actor=None, **fields) -> MappingRule:
    rule = build_rule(engagement, **fields)
    last = MappingRule.objects.filter(engagement=engagement).aggregate(Max("position"))
    rule.position = (last["position__max"] or 0) + 1
    rule.save()
    remap(engagement)
    _record(engagement, actor, f"mapping rule added for {rule.stakeholder.name}")
    return rule


@transaction.atomic
def update_rule(rule: MappingRule, *, actor=None, **fields) -> MappingRule:
    """Change a rule's group, kind or values; it keeps its place in the order."""
    built = build_rule(rule.engagement, **fields)
    rule.stakeholder = built.stakeholder
    rule.kind = built.kind
    rule.property_name = built.property_name
    rule.values = built.values
    rule.save()
    remap(rule.engagement)
    _record(rule.engagement, actor, f"mapping rule for {rule.stakeholder.name} changed")
    return rule


@transaction.atomic
def delete_rule(rule: MappingRule, *, actor=None) -> None:
    engagement = rule.engagement
    name = rule.stakeholder.name
    rule.delete()
    remap(engagement)
    _record(engagement, actor, f"mapping rule for {name} removed")


@transaction.atomic
def move_rule(rule: MappingRule, offset: int, *, actor=None) -> None:
    """Move a rule up (-1) or down (+1) in the order; the first match wins."""
    rules = list(MappingRule.objects.filter(engagement=rule.engagement).order_by("position", "id"))
    index = next(i for i, other in enumerate(rules) if other.id == rule.id)
    target = index + offset
    if not 0 <= target < len(rules):
        return
    rules.insert(target, rules.pop(index))
    for position, other in enumerate(rules, start=1):
        other.position = position
    MappingRule.objects.bulk_update(rules, ["position"])
    remap(rule.engagement)
    _record(rule.engagement, actor, f"mapping rule for {rule.stakeholder.name} moved")


@transaction.atomic
def replace_mapping(engagement, rules: list[dict], counts_as_use: dict, *, actor=None) -> None:
    """Replace every rule (in the given order) and the groups' `counts_as_use`, all or nothing.

    `rules`: dicts of `build_rule`'s fields; `counts_as_use`: {stakeholder: [event names]}.
    """
    built, errors = [], {}
    for position, fields in enumerate(rules, start=1):
        try:
            rule = build_rule(engagement, **fields)
        except ValidationError as error:
            errors[position - 1] = error
            continue
        rule.position = position
        built.append(rule)
    if errors:
        raise MappingInvalid(errors)
    MappingRule.objects.filter(engagement=engagement).delete()
    MappingRule.objects.bulk_create(built)
    for stakeholder, names in counts_as_use.items():
        _store_counts_as_use(engagement, stakeholder, names)
    remap(engagement)
    _record(engagement, actor, f"mapping replaced: {len(built)} rule{'s' * (len(built) != 1)}")


class MappingInvalid(Exception):
    """Some rules were refused: `errors` maps each rule's position to its ValidationError."""

    def __init__(self, errors: dict[int, ValidationError]):
        self.errors = errors
        super().__init__(f"{len(errors)} rules refused")


def _clean_event_names(names) -> list[str]:
    if isinstance(names, str):
        names = names.replace(",", "\n").splitlines()
    cleaned = []
    for name in names or ():
        name = str(name).strip()
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_COUNTS_AS_USE:
        raise ValidationError({"counts_as_use": f"At most {MAX_COUNTS_AS_USE} event names."})
    if any(len(name) > EVENT_NAME_MAX for name in cleaned):
        raise ValidationError(
            {"counts_as_use": f"An event name is longer than {EVENT_NAME_MAX} characters."}
        )
    return cleaned


def _store_counts_as_use(engagement, stakeholder, names) -> None:
    if stakeholder.engagement_id != engagement.id or stakeholder.kind != "group":
        raise ValidationError({"counts_as_use": "Choose a group of this engagement."})
    GroupUsage.objects.update_or_create(
        stakeholder=stakeholder, defaults={"counts_as_use": _clean_event_names(names)}
    )


@transaction.atomic
def set_counts_as_use(engagement, stakeholder, names, *, actor=None) -> None:
    """The events that count as use for a group (none: every event does)."""
    _store_counts_as_use(engagement, stakeholder, names)
    rollups.recompute_group_weeks(engagement, None)
    rollups.refresh_figures(engagement)
    _record(engagement, actor, f"events that count as use for {stakeholder.name} changed")


def remap(engagement) -> None:
    """Re-map every known user of the engagement and follow with the figures."""
    rules = engagement_rules(engagement)
    moves: dict[object, list[int]] = defaultdict(list)
    users = UsageUser.objects.filter(engagement=engagement).values_list(
        "id", "external_id", "email", "properties", "group_id"
    )
    for pk, external_id, email, properties, current in users.iterator(chunk_size=REMAP_CHUNK):
        group_id = group_of(rules, external_id, email, properties)
        if group_id != current:
            moves[group_id].append(pk)
    for group_id, pks in moves.items():
        for start in range(0, len(pks), REMAP_CHUNK):
            UsageUser.objects.filter(pk__in=pks[start : start + REMAP_CHUNK]).update(
                group_id=group_id
            )
    if moves:
        rollups.recompute_group_weeks(engagement, None)
    if UsageState.objects.filter(engagement=engagement).exists():
        rollups.refresh_figures(engagement)
