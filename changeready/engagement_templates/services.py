"""Engagement templates: list, save, delete, and start an engagement from one.

Web views and the API both call these. Lookups are scoped to the workspace:
a built-in template belongs to every workspace, a saved one to its own.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from changeready.activity.services import record_workspace_activity
from changeready.engagement_file.exporting import export_engagement
from changeready.engagement_file.importing import (
    EngagementFileInvalid,
    format_path,
    import_engagement,
)
from changeready.engagement_templates.content import (
    TRIAL_CUSTOMER,
    as_document,
    built_in_template,
    built_in_templates,
    content_errors,
    strip_customer,
)
from changeready.engagement_templates.models import EngagementTemplate
from changeready.engagements.models import Engagement
from changeready.landscape.presets import RELATION_PRESETS_BY_SLUG
from changeready.planning.plan_state import plan_state

SPONSOR_ROLE = "executive_sponsor"
# Where an engagement file's error about the customer's part lands on the form.
_FIELD_OF_PATH = {
    ("engagement", "name"): "name",
    ("engagement", "customer"): "customer",
    ("engagement", "go_live_date"): "go_live_date",
    ("engagement", "kickoff_date"): "kickoff_date",
    ("engagement", "delivery_lead", "name"): "delivery_lead_name",
    ("engagement", "delivery_lead", "email"): "delivery_lead_email",
}


def list_templates(workspace) -> list:
    """The built-in templates, then the workspace's own by name."""
    return [
        *built_in_templates(),
        *EngagementTemplate.objects.for_workspace(workspace).select_related("created_by"),
    ]


def get_template(workspace, template_id):
    """A built-in template or one of the workspace's own; None for anything else."""
    found = built_in_template(template_id)
    if found is not None:
        return found
    try:
        return EngagementTemplate.objects.for_workspace(workspace).filter(id=template_id).first()
    except (ValueError, ValidationError):
        return None


def _record(template: EngagementTemplate, actor, verb: str) -> None:
    record_workspace_activity(
        template.workspace,
        actor=actor,
        verb=verb,
        obj_type="engagement_template",
        obj_id=template.id,
        label=template.name,
    )


class _TrialOver(Exception):
    pass


def usability_errors(workspace, content) -> list[dict]:
    """Every problem that would stop an engagement being made from `content`.

    The schema and references first; then a trial import, rolled back, so the
    models' own rules (a champion is a person, …) are checked as they will be.
    """
    errors = content_errors(content)
    if errors:
        return errors
    document = as_document(content, **TRIAL_CUSTOMER)
    try:
        with transaction.atomic():
            import_engagement(workspace, document)
            raise _TrialOver
    except EngagementFileInvalid as invalid:
        return invalid.errors
    except _TrialOver:
        return []


@transaction.atomic
def create_template(
    workspace, *, name: str, content: dict, description: str = "", industry: str = "", actor=None
) -> EngagementTemplate:
    errors = usability_errors(workspace, content)
    if errors:
        raise ValidationError(
            {"content": [f"{format_path(e['path'])}: {e['message']}" for e in errors]}
        )
    template = EngagementTemplate(
        workspace=workspace,
        name=name.strip(),
        description=description.strip(),
        industry=industry,
        content=content,
        created_by=actor if actor is not None and actor.pk else None,
    )
    if EngagementTemplate.objects.for_workspace(workspace).filter(name=template.name).exists():
        # The constraint would say it about the workspace and the name together.
        raise ValidationError({"name": "The workspace already has a template with this name."})
    template.full_clean()
    template.save()
    _record(template, actor, "created")
    return template


def template_content_of(engagement: Engagement) -> dict:
    """What "save as template" keeps of an engagement (nothing of the customer)."""
    state = plan_state(engagement)
    settings = {
        "adoption_target_pct": state.adoption_target_pct,
        "adoption_target_week": state.adoption_target_week,
    }
    return strip_customer(export_engagement(engagement), plan_settings=settings)


def save_as_template(
    engagement: Engagement, *, name: str, description: str = "", industry: str = "", actor=None
) -> EngagementTemplate:
    return create_template(
        engagement.workspace,
        name=name,
        description=description,
        industry=industry,
        content=template_content_of(engagement),
        actor=actor,
    )


@transaction.atomic
def delete_template(template: EngagementTemplate, *, actor=None) -> None:
    if template.built_in:
        raise ValidationError("Built-in templates cannot be deleted.")
    _record(template, actor, "deleted")
    template.delete()


def _name_sponsor(document: dict, name: str, email: str) -> int:
    """Put the customer's sponsor in the template's sponsor role; returns their position.

    The template's placeholder ("Chief Operating Officer") becomes the person's
    title, and mitigations it owned are theirs. A template without a sponsor
    gets one, with the typical values of the role.
    """
    stakeholders = document["stakeholders"]
    position = next(
        (
            index
            for index, s in enumerate(stakeholders)
            if s["kind"] == "person" and s["role"] == SPONSOR_ROLE
        ),
        None,
    )
    if position is None:
        preset = RELATION_PRESETS_BY_SLUG[SPONSOR_ROLE]
        keys = {s["key"] for s in stakeholders}
        key = next(f"sponsor-{n}" for n in range(1, len(keys) + 2) if f"sponsor-{n}" not in keys)
        stakeholders.append(
            {
                "key": key,
                "kind": "person",
                "name": name,
                "role": preset.role,
                "influence": preset.influence,
                "interest": preset.interest,
                "impact": preset.impact,
                "desired_engagement": preset.desired_engagement,
            }
        )
        position = len(stakeholders) - 1
    else:
        sponsor = stakeholders[position]
        placeholder = sponsor["name"]
        sponsor.setdefault("title", placeholder)
        sponsor["name"] = name
        for point in document["resistance"]:
            mitigation = point.get("mitigation") or {}
            if mitigation.get("owner") == placeholder:
                mitigation["owner"] = name
    if email:
        stakeholders[position]["email"] = email
    return position


def _form_errors(errors: list[dict], sponsor_position: int | None) -> ValidationError:
    fields: dict[str, list[str]] = {}
    for error in errors:
        path = tuple(error["path"])
        field = _FIELD_OF_PATH.get(path)
        if field is None and sponsor_position is not None:
            field = {
                ("stakeholders", sponsor_position, "name"): "sponsor_name",
                ("stakeholders", sponsor_position, "email"): "sponsor_email",
            }.get(path)
        if field is None:
            fields.setdefault(NON_FIELD_ERRORS, []).append(
                f"The template cannot be used: {format_path(error['path'])}: {error['message']}"
            )
        else:
            fields.setdefault(field, []).append(error["message"])
    return ValidationError(fields)


@transaction.atomic
def create_engagement_from_template(
    workspace,
    template,
    *,
    name: str,
    customer: str,
    go_live_date: date,
    kickoff_date: date | None = None,
    sponsor_name: str = "",
    sponsor_email: str = "",
    delivery_lead_name: str = "",
    delivery_lead_email: str = "",
    actor=None,
) -> Engagement:
    """A new engagement with the template's landscape, resistance and plan settings.

    The user brings the customer: the names, the dates, the sponsor and the
    delivery lead. Problems are raised as a ValidationError by form field.
    """
    document = as_document(
        template.content,
        name=name.strip() or template.name,
        customer=customer,
        go_live_date=go_live_date,
        kickoff_date=kickoff_date,
    )
    if delivery_lead_name.strip():
        lead = {"name": delivery_lead_name.strip()}
        if delivery_lead_email.strip():
            lead["email"] = delivery_lead_email.strip()
        document["engagement"]["delivery_lead"] = lead
    sponsor_position = None
    if sponsor_name.strip():
        sponsor_position = _name_sponsor(document, sponsor_name.strip(), sponsor_email.strip())
    try:
        engagement = import_engagement(workspace, document, actor=actor, activity_verb="created")
    except EngagementFileInvalid as invalid:
        raise _form_errors(invalid.errors, sponsor_position) from None
    settings = template.content.get("plan_settings") or {}
    if settings:
        state = plan_state(engagement)
        for field, value in settings.items():
            setattr(state, field, value)
        state.full_clean()
        state.save()
    return engagement
