"""Back up and restore a whole workspace as one JSON document.

The document (`changeready.workspace-backup/v1`, the JSON Schema beside this
module) holds the workspace's settings, its members with their roles, its
playbook rules, and every engagement as an engagement file, exactly as the
engagement export gives it. What a restore needs and the file does not carry
(who accepted the handoff, the plan's settings and dismissed items, generated
items' identity, measured ADKAR means, the daily assessment snapshots, and
each stakeholder's log entries and commitments, internal ones included) sits
beside each file as `extra`, so the file format stays what it is.

Not in a backup: passwords, API tokens, pending invitations, survey links and
answers, customer-portal contributors with what they wrote (their signed
links are personal, like survey links), activity history. Restored accounts
get an unusable password and reset it by email. A log entry's author is named
by email and restored only if that person has an account in the database; a
restore creates no account for someone who left the workspace.

A restore checks everything first and reports every problem with its path;
it then writes everything in one transaction, or nothing. Exporting the
restored workspace gives the same document again (apart from `exported_at`).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator

from changeready.accounts.models import User
from changeready.assessment.models import AssessmentSnapshot
from changeready.common.bulk import insert_rows
from changeready.common.errors import validation_errors
from changeready.core.model import ADKAR_ELEMENTS
from changeready.core.planning import generation_key
from changeready.core.rules import BUILTIN_RULES, Rule
from changeready.engagement_file.exporting import export_engagement
from changeready.engagement_file.importing import (
    EngagementFileInvalid,
    check_document,
    format_path,
    import_engagement,
    parse,
)
from changeready.engagement_file.schema import format_checker
from changeready.engagement_templates.content import content_errors
from changeready.engagement_templates.models import EngagementTemplate
from changeready.engagements.models import Engagement
from changeready.landscape.models import Commitment, StakeholderLogEntry
from changeready.planning.models import PlanState, WorkspaceRule
from changeready.planning.regeneration import preview_regeneration
from changeready.workspaces.models import Membership, Role, Workspace

FORMAT = "changeready.workspace-backup/v1"
# The digest setting is the portfolio app's, above this one: reached through the
# membership's relation, so no app imports the portfolio (docs/architecture.md).
DigestPreference = Membership._meta.get_field("digest_preference").related_model
SCHEMA_PATH = Path(__file__).resolve().parent / "workspace-backup-v1.schema.json"
BUILTIN_KEYS = frozenset(rule.key for rule in BUILTIN_RULES)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MEASURED_FIELDS = (
    *(f"adkar_{element}" for element in ADKAR_ELEMENTS),
    "adkar_measured_on",
    "adkar_responses",
)


class BackupInvalid(Exception):
    """The backup cannot be restored; `errors` lists each problem with its path."""

    def __init__(self, errors: list[dict], message: str = "The backup is not valid."):
        self.errors = errors
        self.message = message
        super().__init__(message)

    def lines(self) -> list[str]:
        return [f"{format_path(error['path'])}: {error['message']}" for error in self.errors]


@dataclass(frozen=True)
class RestoreSummary:
    workspace: Workspace
    engagements: int
    members: int
    # Members whose account existed already: kept as it was, password included.
    existing_accounts: tuple[str, ...]


@cache
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker)


def _rewrite(value: Any, replace: Callable[[str], str]) -> Any:
    """`value` with its object keys sorted and `replace` applied to every string in it.

    JSON columns come back with their keys in a different order on each
    database; sorting makes the backup the same byte for byte everywhere.
    """
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_rewrite(item, replace) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite(value[key], replace) for key in sorted(value)}
    return value


def _unchanged(text: str) -> str:
    return text


def _ids_to_references(references: dict[str, str]) -> Callable[[str], str]:
    """Ids inside text (alone, or within a generation key) as references to the file.

    An id the engagement no longer has (a deleted stakeholder in an old
    snapshot) stays as it is: it names nothing, before or after a restore.
    """
    return lambda text: UUID.sub(lambda match: references.get(match[0], match[0]), text)


def _references_to_ids(ids: dict[str, str]) -> Callable[[str], str]:
    # Longest first, and not followed by a key character, so `@stakeholder:a`
    # never matches the start of `@stakeholder:a-2`.
    alternatives = "|".join(
        re.escape(reference) for reference in sorted(ids, key=len, reverse=True)
    )
    pattern = re.compile(f"(?:{alternatives})(?![A-Za-z0-9_.-])")
    return lambda text: pattern.sub(lambda match: ids[match[0]], text)


def _audience_part(stakeholder_ids) -> str:
    """The audience part of the generator's key for these stakeholders.

    For more than one stakeholder it is a digest of their ids, which a restore
    changes: a backup names the audience by the file's keys instead.
    """
    return generation_key("", 0, [str(pk) for pk in stakeholder_ids], None).split("|")[2]


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _email(user: User | None) -> str | None:
    return None if user is None else user.email


# --- export ------------------------------------------------------------------------


def _measured(stakeholder) -> bool:
    """Scores the file's whole levels cannot carry: a survey's, or any fractional one."""
    fractional = any(
        value is not None and value != int(value) for value in stakeholder.adkar.values()
    )
    return (
        fractional
        or stakeholder.adkar_measured_on is not None
        or stakeholder.adkar_responses is not None
    )


def _creation_order(fields: dict) -> tuple:
    # The content breaks ties of creation time, never an id, which a restore changes.
    return (fields["created_at"], json.dumps(fields, sort_keys=True, ensure_ascii=False))


def _stakeholder_log(engagement: Engagement, keys: dict) -> dict:
    """Each stakeholder's log entries and commitments, under the file's key for them.

    Both lists are in the order they were made; a commitment names the entry
    it was agreed in by its position in the stakeholder's `log_entries`. The
    creation time is kept: the history dates a commitment by it, and it orders
    a day's log entries. The version counter is not: it only refuses an edit
    made from a copy loaded before someone else saved the row, and a restore
    writes new rows nobody has loaded, so they start at 1 like every other
    restored record.
    """
    log: dict[str, dict[str, list]] = {}

    def lists(stakeholder_id) -> dict[str, list]:
        return log.setdefault(keys[stakeholder_id], {"log_entries": [], "commitments": []})

    entries = [
        (
            entry,
            {
                "kind": entry.kind,
                "date": entry.date.isoformat(),
                "participants": entry.participants,
                "summary": entry.summary,
                "internal": entry.internal,
                "recorded_by": _email(entry.recorded_by),
                "created_at": entry.created_at.isoformat(),
            },
        )
        for entry in engagement.log_entries.select_related("recorded_by")
    ]
    # Keyed by the stakeholder too: an entry is agreed in only by its own stakeholder's commitments.
    positions = {}
    for entry, fields in sorted(entries, key=lambda pair: _creation_order(pair[1])):
        listed = lists(entry.stakeholder_id)["log_entries"]
        positions[entry.stakeholder_id, entry.id] = len(listed)
        listed.append(fields)
    commitments = [
        (
            commitment.stakeholder_id,
            {
                "text": commitment.text,
                "owner": commitment.owner,
                "due_date": _iso(commitment.due_date),
                "status": commitment.status,
                "internal": commitment.internal,
                "agreed_in": positions.get((commitment.stakeholder_id, commitment.log_entry_id)),
                "created_at": commitment.created_at.isoformat(),
            },
        )
        for commitment in engagement.commitments.all()
    ]
    for stakeholder_id, fields in sorted(commitments, key=lambda pair: _creation_order(pair[1])):
        lists(stakeholder_id)["commitments"].append(fields)
    return {key: log[key] for key in sorted(log)}


def _engagement_extra(engagement: Engagement, file: dict) -> dict:
    # The same orders the engagement export uses, so rows and file entries pair up.
    stakeholders = list(engagement.stakeholders.order_by("created_at", "name", "id"))
    points = list(engagement.resistance_points.order_by("created_at", "id"))
    items = list(
        engagement.plan_items.order_by("week", "created_at", "id").prefetch_related("audience")
    )
    keys = {s.id: entry["key"] for s, entry in zip(stakeholders, file["stakeholders"], strict=True)}
    references = {str(engagement.id): "@engagement"}
    references.update({str(pk): f"@stakeholder:{key}" for pk, key in keys.items()})
    references.update(
        {
            str(point.id): f"@resistance:{entry['key']}"
            for point, entry in zip(points, file["resistance"], strict=True)
        }
    )
    references.update({str(item.id): f"@plan_item:{index}" for index, item in enumerate(items)})
    # Generation keys, dismissed keys and snapshots name rows by id; ids change in a restore.
    to_references = _ids_to_references(references)
    # A digest in a key stands for an audience the generator makes now, or an item has.
    digests: dict[str, str] = {}
    for ids in [
        *(generated.audience_ids for generated in preview_regeneration(engagement).plan.items),
        *([s.id for s in item.audience.all()] for item in items),
    ]:
        if len(ids) > 1:
            digests.setdefault(_audience_part(ids), sorted(keys[uuid.UUID(str(pk))] for pk in ids))
    labels: dict[str, str] = {}

    def portable_key(key: str) -> str:
        parts = key.split("|")
        if len(parts) == 4 and parts[2] in digests:
            parts[2] = labels.setdefault(parts[2], f"@audience:{len(labels) + 1}")
        return to_references("|".join(parts))

    target_sources = {
        (keys[target.stakeholder_id], target.week): target.source
        for target in engagement.adoption_targets.all()
    }
    state = PlanState.objects.filter(engagement=engagement).select_related("generated_by").first()
    extra = {
        "handoff_accepted_by": _email(engagement.handoff_accepted_by),
        "plan_state": None
        if state is None
        else {
            "adoption_target_pct": state.adoption_target_pct,
            "adoption_target_week": state.adoption_target_week,
            "dismissed_keys": [portable_key(key) for key in state.dismissed_keys],
            "generated_at": _iso(state.generated_at),
            "generated_by": _email(state.generated_by),
        },
        "plan_items": [
            {
                "generation_key": portable_key(item.generation_key),
                "reason": item.reason,
                "edited_by_hand": item.edited_by_hand,
            }
            for item in items
        ],
        "adoption_targets": [
            {"source": target_sources[(target["stakeholder"], target["week"])]}
            for target in file["plan"]["adoption_targets"]
        ],
        "measured_adkar": {
            keys[s.id]: {
                "adkar": s.adkar,
                "measured_on": _iso(s.adkar_measured_on),
                "responses": s.adkar_responses,
            }
            for s in stakeholders
            if _measured(s)
        },
        "snapshots": [
            {
                "taken_on": snapshot.taken_on.isoformat(),
                "readiness_score": snapshot.readiness_score,
                "readiness_band": snapshot.readiness_band,
                "critical_count": snapshot.critical_count,
                "warning_count": snapshot.warning_count,
                "assessment": _rewrite(snapshot.assessment, to_references),
            }
            for snapshot in engagement.snapshots.order_by("taken_on")
        ],
        "stakeholder_log": _stakeholder_log(engagement, keys),
    }
    # Labels are handed out while the keys above are written.
    return {**extra, "audiences": {label: digests[digest] for digest, label in labels.items()}}


def _engagement_order(entry: dict) -> tuple:
    section = entry["file"]["engagement"]
    text = json.dumps(entry, sort_keys=True, ensure_ascii=False)
    return (section["go_live_date"], section["name"], section["customer"], text)


def export_workspace(workspace: Workspace) -> dict:
    """The whole workspace as a backup document (a dict ready for `dumps`)."""
    memberships = Membership.objects.for_workspace(workspace).select_related("user")
    digest_off = set(
        DigestPreference.objects.filter(
            membership__workspace=workspace, weekly_digest=False
        ).values_list("membership_id", flat=True)
    )
    engagements = Engagement.objects.for_workspace(workspace).select_related("handoff_accepted_by")
    entries = []
    for engagement in engagements:
        file = export_engagement(engagement)
        entries.append({"file": file, "extra": _engagement_extra(engagement, file)})
    return {
        "format": FORMAT,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "workspace": {
            "slug": workspace.slug,
            "name": workspace.name,
        },
        "members": sorted(
            (
                {
                    "email": membership.user.email,
                    "name": membership.user.name,
                    "role": membership.role,
                    "weekly_digest": membership.id not in digest_off,
                }
                for membership in memberships
            ),
            key=lambda member: member["email"],
        ),
        "rules": [
            {
                "key": row.key,
                "data": _rewrite(row.data, _unchanged),
                "enabled": row.enabled,
                "based_on": row.based_on,
                "position": row.position,
            }
            for row in WorkspaceRule.objects.for_workspace(workspace).order_by("position", "key")
        ],
        "templates": [
            {
                "name": template.name,
                "description": template.description,
                "industry": template.industry,
                "content": template.content,
            }
            for template in EngagementTemplate.objects.for_workspace(workspace).order_by("name")
        ],
        "engagements": sorted(entries, key=_engagement_order),
    }


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- checks before a restore ----------------------------------------------------------


def _path_key(error: dict) -> list:
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in error["path"]]


def _prefixed(errors: list[dict], prefix: list) -> list[dict]:
    return [{"path": [*prefix, *error["path"]], "message": error["message"]} for error in errors]


def _schema_errors(document: Any) -> list[dict]:
    errors = [
        {"path": list(error.absolute_path), "message": error.message}
        for error in validator().iter_errors(document)
    ]
    # Each engagement file is checked against its own schema, with its own paths.
    engagements = document.get("engagements") if isinstance(document, dict) else None
    for index, entry in enumerate(engagements if isinstance(engagements, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("file"), dict):
            errors += _prefixed(check_document(entry["file"]), ["engagements", index, "file"])
    templates = document.get("templates") if isinstance(document, dict) else None
    for index, entry in enumerate(templates if isinstance(templates, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("content"), dict):
            errors += _prefixed(content_errors(entry["content"]), ["templates", index, "content"])
    return errors


def _template_errors(templates: list[dict]) -> list[dict]:
    errors = []
    seen: dict[str, int] = {}
    for index, template in enumerate(templates):
        name = template["name"]
        if name in seen:
            message = f"Duplicate name: templates[{seen[name]}] has it."
            errors.append({"path": ["templates", index, "name"], "message": message})
        seen.setdefault(name, index)
    return errors


def _member_errors(members: list[dict]) -> list[dict]:
    errors = []
    seen: dict[str, int] = {}
    for index, member in enumerate(members):
        email = member["email"].lower()
        if email in seen:
            message = f"Duplicate email: members[{seen[email]}] has it."
            errors.append({"path": ["members", index, "email"], "message": message})
        seen.setdefault(email, index)
    if not any(member["role"] == Role.OWNER for member in members):
        errors.append({"path": ["members"], "message": "A workspace needs at least one owner."})
    return errors


def _rule_errors(rules: list[dict]) -> list[dict]:
    errors = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rules):
        path = ["rules", index]
        key = row["key"]
        if key in seen:
            message = f"Duplicate key {key!r}: rules[{seen[key]}] has it."
            errors.append({"path": [*path, "key"], "message": message})
        seen.setdefault(key, index)
        if row["based_on"] is not None and (row["based_on"] != key or key not in BUILTIN_KEYS):
            message = "Only a built-in rule's own key can be overridden."
            errors.append({"path": [*path, "based_on"], "message": message})
        if row["data"] is None:
            if row["based_on"] is None:
                message = "The workspace's own rule needs its data."
                errors.append({"path": [*path, "data"], "message": message})
            continue
        try:
            rule = Rule.from_dict(row["data"])
        except ValueError as error:
            errors.append({"path": [*path, "data"], "message": str(error)})
            continue
        if rule.key != key:
            message = f"The rule's key {rule.key!r} is not the row's key {key!r}."
            errors.append({"path": [*path, "data", "key"], "message": message})
    return errors


def _field_errors(instance, path: list) -> list[dict]:
    """The model's own checks of its fields (single-line text, dates the app
    computes with), as the forms and the API give them; relations are the
    restore's to set, and no query is made."""
    try:
        instance.clean_fields(
            exclude=["engagement", "stakeholder", "log_entry", "recorded_by", "created_at"]
        )
    except ValidationError as error:
        return _prefixed(validation_errors(error, {}), path)
    return []


def _stakeholder_log_errors(lists: dict, path: list) -> list[dict]:
    errors = []
    entries = lists["log_entries"]
    for index, fields in enumerate(entries):
        entry = StakeholderLogEntry(
            kind=fields["kind"],
            date=date.fromisoformat(fields["date"]),
            participants=fields["participants"],
            summary=fields["summary"],
            internal=fields["internal"],
        )
        errors += _field_errors(entry, [*path, "log_entries", index])
    for index, fields in enumerate(lists["commitments"]):
        commitment_path = [*path, "commitments", index]
        due_date = fields["due_date"]
        commitment = Commitment(
            text=fields["text"],
            owner=fields["owner"],
            due_date=due_date and date.fromisoformat(due_date),
            status=fields["status"],
            internal=fields["internal"],
        )
        errors += _field_errors(commitment, commitment_path)
        agreed_in = fields["agreed_in"]
        if agreed_in is not None and agreed_in >= len(entries):
            message = f"No log entry {agreed_in}: the stakeholder has {len(entries)}."
            errors.append({"path": [*commitment_path, "agreed_in"], "message": message})
    return errors


def _extra_errors(entry: dict) -> list[dict]:
    file, extra = entry["file"], entry["extra"]
    plan = file.get("plan", {})
    errors = []
    for name, listed in (
        ("plan_items", plan.get("items", [])),
        ("adoption_targets", plan.get("adoption_targets", [])),
    ):
        if len(extra[name]) != len(listed):
            message = f"{len(extra[name])} entries for the file's {len(listed)}."
            errors.append({"path": ["extra", name], "message": message})
    keys = {stakeholder["key"] for stakeholder in file["stakeholders"]}
    for key in extra["measured_adkar"]:
        if key not in keys:
            message = f"Unknown stakeholder {key!r}."
            errors.append({"path": ["extra", "measured_adkar", key], "message": message})
    for label, members in extra["audiences"].items():
        for index, key in enumerate(members):
            if key not in keys:
                message = f"Unknown stakeholder {key!r}."
                errors.append({"path": ["extra", "audiences", label, index], "message": message})
    for key, lists in extra.get("stakeholder_log", {}).items():
        path = ["extra", "stakeholder_log", key]
        if key not in keys:
            errors.append({"path": path, "message": f"Unknown stakeholder {key!r}."})
        errors += _stakeholder_log_errors(lists, path)
    days: dict[str, int] = {}
    for index, snapshot in enumerate(extra["snapshots"]):
        day = snapshot["taken_on"]
        if day in days:
            message = f"snapshots[{days[day]}] is from the same day."
            errors.append({"path": ["extra", "snapshots", index, "taken_on"], "message": message})
        days.setdefault(day, index)
    return errors


def check_backup(document: Any) -> list[dict]:
    """Every problem of `document` that can be found without writing (empty when none)."""
    errors = _schema_errors(document)
    if errors:
        return sorted(errors, key=_path_key)
    slug = document["workspace"]["slug"]
    if Workspace.objects.filter(slug=slug).exists():
        message = f"The workspace slug {slug!r} is already taken."
        errors.append({"path": ["workspace", "slug"], "message": message})
    errors += _member_errors(document["members"])
    errors += _rule_errors(document["rules"])
    errors += _template_errors(document.get("templates", []))
    for index, entry in enumerate(document["engagements"]):
        errors += _prefixed(_extra_errors(entry), ["engagements", index])
    return sorted(errors, key=_path_key)


# --- restore ---------------------------------------------------------------------------


def parse_backup(raw: bytes | str) -> Any:
    try:
        return parse(raw)
    except EngagementFileInvalid as error:
        raise BackupInvalid(error.errors, "The backup is not JSON.") from None


def import_workspace(document: Any, *, slug: str | None = None) -> RestoreSummary:
    """Create the workspace in `document` (under `slug` if given), or raise BackupInvalid.

    Nothing is written unless everything can be: the checks run first, and the
    restore is one transaction that a problem found while writing (an
    engagement the models refuse) rolls back whole.
    """
    if (
        slug is not None
        and isinstance(document, dict)
        and isinstance(document.get("workspace"), dict)
    ):
        document = {**document, "workspace": {**document["workspace"], "slug": slug}}
    errors = check_backup(document)
    if errors:
        raise BackupInvalid(errors)
    with transaction.atomic():
        return _restore(document)


def _restore(document: dict) -> RestoreSummary:
    workspace = Workspace.objects.create(
        slug=document["workspace"]["slug"], name=document["workspace"]["name"]
    )
    users, existing = _restore_members(workspace, document["members"])
    WorkspaceRule.objects.bulk_create(
        WorkspaceRule(workspace=workspace, **row) for row in document["rules"]
    )
    EngagementTemplate.objects.bulk_create(
        EngagementTemplate(
            workspace=workspace,
            name=entry["name"],
            description=entry.get("description", ""),
            industry=entry.get("industry", ""),
            content=entry["content"],
        )
        for entry in document.get("templates", [])
    )
    errors = []
    for index, entry in enumerate(document["engagements"]):
        try:
            engagement = import_engagement(workspace, entry["file"])
        except EngagementFileInvalid as error:
            errors += _prefixed(error.errors, ["engagements", index, "file"])
            continue
        _restore_extra(engagement, entry["file"], entry["extra"], users)
    if errors:
        raise BackupInvalid(sorted(errors, key=_path_key))
    return RestoreSummary(
        workspace=workspace,
        engagements=len(document["engagements"]),
        members=len(document["members"]),
        existing_accounts=tuple(existing),
    )


def _restore_members(workspace: Workspace, members: list[dict]):
    users: dict[str, User] = {}
    existing = []
    for member in members:
        email = member["email"].lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            # No password: the person sets one through "forgot password".
            user = User.objects.create_user(email=email, password=None, name=member["name"])
        else:
            existing.append(user.email)
        users[email] = user
        membership = Membership.objects.create(workspace=workspace, user=user, role=member["role"])
        if not member["weekly_digest"]:
            DigestPreference.objects.create(membership=membership, weekly_digest=False)
    return users, existing


def _user(email: str | None, users: dict[str, User]) -> User | None:
    """A member, or another existing account; None when the person has no account here."""
    if email is None:
        return None
    return users.get(email.lower()) or User.objects.filter(email__iexact=email).first()


def _restore_extra(engagement: Engagement, file: dict, extra: dict, users: dict) -> None:
    # The import keeps the file's order in `created_at`, so rows pair up with its lists.
    stakeholders = list(engagement.stakeholders.order_by("created_at"))
    by_key = {entry["key"]: s for entry, s in zip(file["stakeholders"], stakeholders, strict=True)}
    points = engagement.resistance_points.order_by("created_at")
    items = list(engagement.plan_items.order_by("created_at"))
    plan = file.get("plan", {})
    ids = {"@engagement": str(engagement.id)}
    ids.update({f"@stakeholder:{key}": str(s.id) for key, s in by_key.items()})
    ids.update(
        {
            f"@resistance:{entry['key']}": str(point.id)
            for entry, point in zip(file.get("resistance", []), points, strict=True)
        }
    )
    ids.update({f"@plan_item:{index}": str(item.id) for index, item in enumerate(items)})
    to_ids = _references_to_ids(ids)
    digests = {
        label: _audience_part(by_key[key].id for key in members)
        for label, members in extra["audiences"].items()
    }

    def local_key(key: str) -> str:
        parts = key.split("|")
        if len(parts) == 4 and parts[2] in digests:
            parts[2] = digests[parts[2]]
        return to_ids("|".join(parts))

    accepted_by = _user(extra["handoff_accepted_by"], users)
    if accepted_by is not None:
        Engagement.objects.filter(pk=engagement.pk).update(handoff_accepted_by=accepted_by)

    state = extra["plan_state"]
    if state is not None:
        generated_at = state["generated_at"]
        PlanState.objects.create(
            engagement=engagement,
            adoption_target_pct=state["adoption_target_pct"],
            adoption_target_week=state["adoption_target_week"],
            dismissed_keys=[local_key(key) for key in state["dismissed_keys"]],
            generated_at=generated_at and datetime.fromisoformat(generated_at),
            generated_by=_user(state["generated_by"], users),
        )

    for item, fields in zip(items, extra["plan_items"], strict=True):
        item.generation_key = local_key(fields["generation_key"])
        item.reason = fields["reason"]
        item.edited_by_hand = fields["edited_by_hand"]
    engagement.plan_items.bulk_update(items, ["generation_key", "reason", "edited_by_hand"])

    # The file import marks every target manual; the backup knows which were generated.
    # Backups written before targets had a source say whether one was set by hand.
    targets = {(t.stakeholder_id, t.week): t for t in engagement.adoption_targets.all()}
    restored = []
    for entry, fields in zip(
        plan.get("adoption_targets", []), extra["adoption_targets"], strict=True
    ):
        target = targets[(by_key[entry["stakeholder"]].id, entry["week"])]
        target.source = fields.get("source") or (
            "manual" if fields.get("edited_by_hand") else "generated"
        )
        restored.append(target)
    engagement.adoption_targets.bulk_update(restored, ["source"])

    measured = []
    for key, fields in extra["measured_adkar"].items():
        stakeholder = by_key[key]
        for element in ADKAR_ELEMENTS:
            setattr(stakeholder, f"adkar_{element}", fields["adkar"][element])
        measured_on = fields["measured_on"]
        stakeholder.adkar_measured_on = measured_on and date.fromisoformat(measured_on)
        stakeholder.adkar_responses = fields["responses"]
        measured.append(stakeholder)
    engagement.stakeholders.bulk_update(measured, MEASURED_FIELDS)

    AssessmentSnapshot.objects.bulk_create(
        AssessmentSnapshot(
            engagement=engagement,
            taken_on=date.fromisoformat(snapshot["taken_on"]),
            readiness_score=snapshot["readiness_score"],
            readiness_band=snapshot["readiness_band"],
            critical_count=snapshot["critical_count"],
            warning_count=snapshot["warning_count"],
            assessment=_rewrite(snapshot["assessment"], to_ids),
        )
        for snapshot in extra["snapshots"]
    )
    _restore_stakeholder_log(engagement, extra.get("stakeholder_log", {}), by_key, users)


def _restore_stakeholder_log(engagement: Engagement, log: dict, by_key: dict, users: dict) -> None:
    # Checked with the models' own rules before the restore began (`check_backup`).
    authors: dict[str, Any] = {}

    def author_id(email: str | None):
        # One look-up per author, not per entry: people who left are not in `users`.
        if email is None:
            return None
        if email not in authors:
            author = _user(email, users)
            authors[email] = None if author is None else author.pk
        return authors[email]

    entries, commitments = [], []
    for key, lists in log.items():
        stakeholder = by_key[key]
        # Ids chosen here, so a commitment can name the entry it was agreed in.
        entry_ids = [uuid.uuid4() for _ in lists["log_entries"]]
        entries += [
            {
                "id": entry_id,
                "engagement_id": engagement.id,
                "stakeholder_id": stakeholder.id,
                "kind": fields["kind"],
                "date": date.fromisoformat(fields["date"]),
                "participants": fields["participants"],
                "summary": fields["summary"],
                "internal": fields["internal"],
                "recorded_by_id": author_id(fields["recorded_by"]),
                "created_at": datetime.fromisoformat(fields["created_at"]),
            }
            for entry_id, fields in zip(entry_ids, lists["log_entries"], strict=True)
        ]
        commitments += [
            {
                "engagement_id": engagement.id,
                "stakeholder_id": stakeholder.id,
                "log_entry_id": None
                if fields["agreed_in"] is None
                else entry_ids[fields["agreed_in"]],
                "text": fields["text"],
                "owner": fields["owner"],
                "due_date": fields["due_date"] and date.fromisoformat(fields["due_date"]),
                "status": fields["status"],
                "internal": fields["internal"],
                "created_at": datetime.fromisoformat(fields["created_at"]),
            }
            for fields in lists["commitments"]
        ]
    insert_rows(StakeholderLogEntry, entries)
    insert_rows(Commitment, commitments)
