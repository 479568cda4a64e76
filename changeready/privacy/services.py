"""A named stakeholder's personal data: everything held about them, and erasure.

`person_export` gathers what the workspace holds about one person of an
engagement; `erase_person` removes or anonymises it everywhere while the
figures built from it (the group's size, the person's scores and risk, the
survey's results, the plan) stay. Both are recorded in the activity history,
the erasure without the name. Records are found through `records.py`, over
every model of the project.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from changeready.activity.models import ActivityEvent
from changeready.activity.services import record_activity
from changeready.engagements.services import engagement_changed
from changeready.landscape.models import Stakeholder
from changeready.privacy.records import Person, mentions, project_models, scoped_rows
from changeready.surveys.models import Respondent, Response

EXPORT_FORMAT = "changeready.person-export/v1"
# Survey answers are anonymous to the team (README, "Anonymity"): an export,
# which the team downloads, never carries one, even when it names the person.
NEVER_EXPORTED = (Response,)


def person_of(stakeholder: Stakeholder) -> Person:
    return Person.of(stakeholder.name, stakeholder.email)


def _value(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields(record, exclude=("engagement",)) -> dict:
    return {
        field.name: _value(getattr(record, field.attname))
        for field in record._meta.concrete_fields
        if field.name not in exclude
    }


def _respondents(stakeholder: Stakeholder, person: Person):
    """Survey invitations of the engagement sent to the person (by email, else by name)."""
    rows = Respondent.objects.filter(survey__engagement=stakeholder.engagement_id).select_related(
        "survey"
    )
    if stakeholder.email:
        return [r for r in rows if r.email.lower() == stakeholder.email.lower()]
    return [r for r in rows if r.name and person.named_in(r.name)]


def person_export(stakeholder: Stakeholder, *, actor=None) -> dict:
    """Everything held about the person, as JSON-ready data; the export is recorded.

    Survey answers are not included: the app promises respondents that no one
    reads an individual's answers, so the export says whether they answered.
    """
    engagement = stakeholder.engagement
    person = person_of(stakeholder)
    own_ids = {
        stakeholder.id,
        *stakeholder.log_entries.values_list("id", flat=True),
        *stakeholder.commitments.values_list("id", flat=True),
        *stakeholder.resistance_points.values_list("id", flat=True),
    }
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "engagement": {
            "id": str(engagement.id),
            "name": engagement.name,
            "customer": engagement.customer,
        },
        "stakeholder": _fields(stakeholder),
        "resistance_points": [_fields(p) for p in stakeholder.resistance_points.all()],
        "log": [_fields(e) for e in stakeholder.log_entries.all()],
        "commitments": [_fields(c) for c in stakeholder.commitments.all()],
        "plan_items_for_them": [
            {"id": str(item.id), "week": item.week, "title": item.title, "owner": item.owner}
            for item in stakeholder.plan_items.order_by("week", "created_at")
        ],
        "survey_invitations": [
            {
                "survey": r.survey.title,
                "name": r.name,
                "email": r.email,
                "invited_at": _value(r.invited_at),
                "answered": r.responses.exists(),
            }
            for r in _respondents(stakeholder, person)
        ],
        "activity": [
            {
                "at": event.created_at.isoformat(),
                "by": event.actor_label,
                "what": event.summary,
                "changes": event.changes,
            }
            for event in ActivityEvent.objects.filter(engagement=engagement).order_by("created_at")
            if event.obj_id in own_ids or person.named_in([event.label, event.summary])
        ],
    }
    # Every other record that names them; their own records and the activity
    # history are listed above.
    data["mentioned_in"] = [
        {
            "record": mention.record._meta.label,
            "id": str(mention.record.pk),
            "fields": {name: _value(value) for name, value in mention.fields.items()},
        }
        for mention in mentions(engagement, person)
        if mention.record.pk not in own_ids
        and not isinstance(mention.record, (ActivityEvent, *NEVER_EXPORTED))
    ]
    record_activity(
        engagement,
        actor=actor,
        verb="exported",
        obj_type="stakeholder",
        obj_id=stakeholder.id,
        label=stakeholder.name,
        detail="everything held about them, as a file",
    )
    return data


@dataclass(frozen=True)
class Erasure:
    placeholder: str
    removed: int
    anonymised: int


def erased_name(stakeholder: Stakeholder) -> str:
    # From the id, which names no one: unique in the engagement, as names must be.
    return f"Erased person {stakeholder.id.hex[:6]}"


def _anonymised_email(field: models.EmailField) -> str:
    return "" if field.blank else f"erased-{uuid.uuid4().hex[:12]}@erased.invalid"


@transaction.atomic
def erase_person(stakeholder: Stakeholder, *, typed_name: str, actor=None) -> Erasure:
    """Remove or anonymise the person everywhere in the engagement and its workspace.

    Their own log entries and commitments go, so does their customer-portal
    access with what they wrote there, their survey invitations go (the
    answers stay, unlinked, in the survey's results), stored playbook files go
    (they are made again on request); every other text that names them,
    activity history included, has the name replaced. The stakeholder stays
    as a placeholder with their scores, so the assessment, the group's size
    and the plan keep their figures. `typed_name` must repeat the name.
    """
    if stakeholder.kind != "person":
        raise ValidationError("Only a person can be erased: a group names no one.")
    if typed_name.strip().casefold() != stakeholder.name.strip().casefold():
        raise ValidationError({"typed_name": "Type the name exactly as shown to confirm."})
    engagement = stakeholder.engagement
    person = person_of(stakeholder)
    placeholder = erased_name(stakeholder)

    removed = 0
    removed += stakeholder.log_entries.all().delete()[0]
    removed += stakeholder.commitments.all().delete()[0]
    # Their customer-portal access (and what they wrote there) ends with them:
    # a link already sent must not open a page for an erased person. Reached
    # by the relation, as the portal app sits beside this one.
    with contextlib.suppress(ObjectDoesNotExist):
        removed += stakeholder.contributor.delete()[0]
    for respondent in _respondents(stakeholder, person):
        respondent.responses.update(respondent=None)
        respondent.delete()
        removed += 1
    Stakeholder.objects.filter(pk=stakeholder.pk).update(
        name=placeholder, title="", email="", notes="", version=F("version") + 1
    )
    for model in project_models():
        rows = scoped_rows(model, engagement)
        if rows is not None and any(
            isinstance(f, models.BinaryField) for f in model._meta.concrete_fields
        ):
            # Stored documents (playbook PDFs): rendered files cannot be
            # rewritten, and are made again on request.
            removed += rows.delete()[0]
    anonymised = _anonymise_mentions(engagement, person, placeholder)

    engagement_changed(engagement)
    record_activity(
        engagement,
        actor=actor,
        verb="erased",
        obj_type="stakeholder",
        obj_id=stakeholder.id,
        label=placeholder,
        detail=f"{removed} record{'s' * (removed != 1)} removed, {anonymised} anonymised",
    )
    stakeholder.refresh_from_db()
    return Erasure(placeholder=placeholder, removed=removed, anonymised=anonymised)


def _anonymise_mentions(engagement, person: Person, placeholder: str) -> int:
    count = 0
    for mention in list(mentions(engagement, person)):
        record = mention.record
        model = type(record)
        fields = {field.name: field for field in model._meta.concrete_fields}
        changes: dict[str, object] = {}
        for name in mention.fields:
            field = fields[name]
            value = getattr(record, field.attname)
            if isinstance(field, models.EmailField):
                changes[name] = _anonymised_email(field)
                continue
            new = person.scrub(value, placeholder)
            if isinstance(new, str) and field.max_length:
                new = new[: field.max_length]
            changes[name] = new
        if any(f.name == "version" for f in model._meta.concrete_fields):
            # Someone editing the record from an older copy is refused, not
            # allowed to write the name back.
            changes["version"] = F("version") + 1
        model._base_manager.filter(pk=record.pk).update(**changes)
        count += 1
    return count
