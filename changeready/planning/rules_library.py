"""The workspace rule library: the built-in plan rules, as the workspace edited
or switched them off, and the workspace's own rules.

Plan generation reads `effective_rules`; the playbook page and the API edit
the library through the writes here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from changeready.activity.services import dict_changes, record_workspace_activity
from changeready.common.concurrency import save_versioned
from changeready.core.rules import BUILTIN_RULES, Rule, check_unique_keys
from changeready.planning.models import WorkspaceRule

logger = logging.getLogger(__name__)

BUILTIN_BY_KEY = {rule.key: rule for rule in BUILTIN_RULES}


@dataclass(frozen=True)
class LibraryEntry:
    """One rule as the playbook page shows it."""

    rule: Rule
    # "builtin" (as shipped), "edited" (a workspace copy of a built-in), "custom".
    source: str
    row: WorkspaceRule | None = None

    @property
    def enabled(self) -> bool:
        return self.rule.enabled

    @property
    def key(self) -> str:
        return self.rule.key


def rule_library(workspace) -> list[LibraryEntry]:
    """The workspace's rules in library order: built-ins (as overridden), then its own."""
    rows = list(WorkspaceRule.objects.for_workspace(workspace))
    overrides = {row.key: row for row in rows if row.based_on}
    entries = []
    for builtin in BUILTIN_RULES:
        row = overrides.get(builtin.key)
        if row is None:
            entries.append(LibraryEntry(builtin, "builtin"))
            continue
        rule = _stored_rule(row, builtin)
        if rule is not None:
            entries.append(LibraryEntry(rule, "builtin" if row.data is None else "edited", row))
    for row in rows:
        if not row.based_on:
            rule = _stored_rule(row, None)
            if rule is not None:
                entries.append(LibraryEntry(rule, "custom", row))
    return entries


def _stored_rule(row: WorkspaceRule, builtin: Rule | None) -> Rule | None:
    if row.data is None:
        return replace(builtin, enabled=row.enabled) if builtin else None
    try:
        return replace(Rule.from_dict(row.data), enabled=row.enabled)
    except ValueError:
        # Written through `save_rule`, so only a stricter future validation can
        # get here; one bad rule must not stop every plan of the workspace.
        logger.warning("Skipping invalid plan rule %s of workspace %s", row.key, row.workspace_id)
        return None


def effective_rules(workspace) -> tuple[Rule, ...]:
    """The rule library plan generation uses for this workspace."""
    rules = tuple(entry.rule for entry in rule_library(workspace))
    check_unique_keys(rules)
    return rules


def library_entry(workspace, key: str) -> LibraryEntry | None:
    return next((entry for entry in rule_library(workspace) if entry.key == key), None)


def rule_validation_error(error: ValueError) -> ValidationError:
    """`Rule.from_dict`'s message, attached to the field it names."""
    message = str(error)
    match = re.search(r"field '([a-z_]+)' (.*)$", message)
    if match:
        field, problem = match.groups()
        return ValidationError({field: f"{field.replace('_', ' ').capitalize()} {problem}."})
    return ValidationError(message)


def _record_rule(workspace, rule_id, actor, verb: str, title: str, changes=None):
    # The playbook belongs to the workspace, not to one engagement.
    record_workspace_activity(
        workspace,
        actor=actor,
        verb=verb,
        obj_type="plan_rule",
        obj_id=rule_id,
        label=title,
        changes=changes,
    )


@transaction.atomic
def save_rule(
    workspace, data: dict, *, expected_version: int | None = None, actor=None
) -> WorkspaceRule:
    """Create or update a rule of the workspace from its dict form.

    A built-in key stores an edited copy of that rule; any other key is the
    workspace's own rule. `ValidationError` names the bad field.
    """
    try:
        rule = Rule.from_dict(data)
    except ValueError as error:
        raise rule_validation_error(error) from None
    row = WorkspaceRule.objects.for_workspace(workspace).filter(key=rule.key).first()
    if row is None:
        based_on = rule.key if rule.key in BUILTIN_BY_KEY else None
        position = 0
        if based_on is None:
            last = WorkspaceRule.objects.for_workspace(workspace).aggregate(Max("position"))
            position = (last["position__max"] or 0) + 1
        row = WorkspaceRule(workspace=workspace, key=rule.key, based_on=based_on, position=position)
    previous = _stored_rule(row, BUILTIN_BY_KEY.get(row.based_on)) if row.pk else None
    if previous is None and row.based_on:
        previous = BUILTIN_BY_KEY[row.based_on]
    row.data = rule.to_dict()
    row.enabled = rule.enabled
    save_versioned(row, expected_version)
    if previous is None:
        _record_rule(workspace, row.id, actor, "created", rule.title)
    else:
        changes = dict_changes(previous.to_dict(), row.data)
        if changes:
            _record_rule(workspace, row.id, actor, "updated", rule.title, changes)
    return row


@transaction.atomic
def create_rule(workspace, data: dict, *, actor=None) -> WorkspaceRule:
    """Add the workspace's own rule; its key must be new."""
    key = data.get("key")
    if key in BUILTIN_BY_KEY:
        raise ValidationError(
            {"key": "A built-in rule uses this key: edit the built-in rule instead."}
        )
    if WorkspaceRule.objects.for_workspace(workspace).filter(key=key).exists():
        raise ValidationError({"key": "The playbook already has a rule with this key."})
    return save_rule(workspace, data, actor=actor)


def _rule_title(row: WorkspaceRule) -> str:
    if row.data is not None:
        return row.data.get("title") or row.key
    return BUILTIN_BY_KEY[row.based_on].title if row.based_on in BUILTIN_BY_KEY else row.key


@transaction.atomic
def set_rule_enabled(workspace, key: str, enabled: bool, *, actor=None) -> WorkspaceRule:
    row = WorkspaceRule.objects.for_workspace(workspace).select_for_update().filter(key=key).first()
    if row is None:
        if key not in BUILTIN_BY_KEY:
            raise WorkspaceRule.DoesNotExist(key)
        row = WorkspaceRule(workspace=workspace, key=key, based_on=key, data=None)
    was_enabled = row.enabled
    row.enabled = enabled
    if row.data is not None:
        row.data = {**row.data, "enabled": enabled}
    save_versioned(row, None)
    if was_enabled != enabled:
        changes = dict_changes({"enabled": was_enabled}, {"enabled": enabled})
        _record_rule(workspace, row.id, actor, "updated", _rule_title(row), changes)
    return row


@transaction.atomic
def reset_rule(workspace, key: str, *, actor=None) -> None:
    """Back to the built-in rule as shipped (edits and the on/off switch are dropped)."""
    rows = WorkspaceRule.objects.for_workspace(workspace).filter(key=key, based_on__isnull=False)
    row = rows.first()
    if row is None:
        return
    rows.delete()
    _record_rule(workspace, row.id, actor, "reset", _rule_title(row))


@transaction.atomic
def delete_rule(workspace, key: str, *, actor=None) -> None:
    """Delete one of the workspace's own rules (built-ins are switched off instead)."""
    row = (
        WorkspaceRule.objects.for_workspace(workspace)
        .filter(key=key, based_on__isnull=True)
        .first()
    )
    if row is None:
        raise WorkspaceRule.DoesNotExist(key)
    rule_id, title = row.id, _rule_title(row)
    row.delete()
    _record_rule(workspace, rule_id, actor, "deleted", title)
