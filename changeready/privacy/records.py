"""Where a person can be held: every text of every record of an engagement.

Written over the project's models rather than a list of them, so a model
added later is covered without anyone remembering this module. A record
belongs to an engagement through the shortest path of foreign keys to it
(`engagement`, `survey__engagement`…); a workspace-wide record (a webhook
delivery, a phrase of the workspace) through its path to the workspace.
Texts are the character, text, email and JSON fields; codes (fields with
choices) and keys never name anyone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from changeready.engagements.models import Engagement
from changeready.workspaces.models import Workspace

PATH_DEPTH = 3
# A surname shorter than this (an initial) would match far too much.
NAME_PART_MIN = 3


@dataclass(frozen=True)
class Person:
    """How a person is recognised in text, as whole words and ignoring case:
    their full name, their email address and their surname on its own (the
    last capitalised part of the name: "Avery", not "van"). A first name alone
    is not matched: "Tom" would hit every other Tom of the workspace."""

    pattern: re.Pattern

    @classmethod
    def of(cls, name: str, email: str = "") -> Person:
        parts = [p for p in re.split(r"[\s,.;()]+", name) if p[:1].isupper()]
        surname = parts[-1] if len(parts) > 1 and len(parts[-1]) >= NAME_PART_MIN else ""
        terms = {name.strip(), email.strip(), surname} - {""}
        alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        return cls(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def named_in(self, value) -> bool:
        if value is None or value == "":
            return False
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return self.pattern.search(text) is not None

    def scrub(self, value, replacement: str):
        """`value` with every mention replaced; JSON is walked, its keys kept."""
        if isinstance(value, str):
            return self.pattern.sub(replacement, value)
        if isinstance(value, list):
            return [self.scrub(item, replacement) for item in value]
        if isinstance(value, dict):
            return {key: self.scrub(item, replacement) for key, item in value.items()}
        return value


def text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not field.primary_key
        and not field.choices
    ]


@cache
def _path(model, target) -> str | None:
    """The shortest lookup from `model` to `target` through foreign keys, or None."""
    if model is target:
        return "pk"
    frontier = [(model, "")]
    for _ in range(PATH_DEPTH):
        following = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                if not field.many_to_one and not field.one_to_one:
                    continue
                lookup = f"{prefix}{field.name}"
                if field.related_model is target:
                    return lookup
                following.append((field.related_model, f"{lookup}__"))
        frontier = following
    return None


def project_models() -> list:
    return [m for m in apps.get_models() if m.__module__.startswith("changeready.")]


def scoped_rows(model, engagement: Engagement):
    """The records of `model` that belong to the engagement, or to its workspace
    when the model belongs to no engagement; None when it belongs to neither."""
    to_engagement = _path(model, Engagement)
    if to_engagement is not None:
        return model._base_manager.filter(**{to_engagement: engagement.pk})
    to_workspace = _path(model, Workspace)
    if to_workspace is not None:
        return model._base_manager.filter(**{to_workspace: engagement.workspace_id})
    return None


@dataclass(frozen=True)
class Mention:
    record: models.Model
    # field name -> the value that names the person
    fields: dict


def mentions(engagement: Engagement, person: Person) -> Iterator[Mention]:
    """Every record of the engagement (and its workspace) whose text names the person."""
    for model in project_models():
        fields = text_fields(model)
        rows = scoped_rows(model, engagement)
        if not fields or rows is None:
            continue
        for record in rows.only("pk", *(f.name for f in fields)).iterator():
            named = {
                field.name: getattr(record, field.attname)
                for field in fields
                if person.named_in(getattr(record, field.attname))
            }
            if named:
                yield Mention(record, named)
