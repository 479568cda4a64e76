"""API v1: engagement templates, and new engagements started from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import Http404
from ninja import Field, Router, Schema, Status

from changeready.api.auth import api_engagement, api_membership, api_workspace, require_write
from changeready.api.errors import model_validation, responses
from changeready.api.schemas import Contact, InputSchema, JsonDate, Name200, Text200, choice
from changeready.engagement_templates import services
from changeready.engagements.api import EngagementOut, engagement_out
from changeready.landscape.suggestions import INDUSTRY_LABELS

router = Router(tags=["engagement templates"])

Industry = choice(tuple(INDUSTRY_LABELS))
# The service reports problems by form field; the API names them as its body does.
START_PATHS = {
    "sponsor_name": ["sponsor", "name"],
    "sponsor_email": ["sponsor", "email"],
    "delivery_lead_name": ["delivery_lead", "name"],
    "delivery_lead_email": ["delivery_lead", "email"],
}


class TemplateOut(Schema):
    id: UUID
    name: str
    description: str
    industry: Industry
    built_in: bool = Field(description="Shipped with the app, in every workspace; not deletable.")
    created_at: datetime | None
    content: dict[str, Any] = Field(
        description="An engagement file without the customer: `engagement` (product, "
        "change_summary, adoption_mode), `plan_settings` (adoption_target_pct, "
        "adoption_target_week), `stakeholders` and `resistance` as in the engagement file."
    )


class FromTemplateIn(InputSchema):
    customer: Name200
    go_live_date: JsonDate
    kickoff_date: JsonDate | None = None
    name: Text200 = Field("", description="Empty: the template's name.")
    sponsor: Contact | None = Field(
        None, description="The customer's sponsor, who takes the template's sponsor role."
    )
    delivery_lead: Contact | None = None


class SaveAsTemplateIn(InputSchema):
    multiline_fields = frozenset({"description"})

    name: Name200
    description: str = Field("", max_length=2000)
    industry: Industry = ""


def template_out(template) -> dict:
    return {
        "id": template.id,
        "name": template.name,
        "description": template.description,
        "industry": template.industry,
        "built_in": template.built_in,
        "created_at": template.created_at,
        "content": template.content,
    }


def _template(request, template_id: UUID):
    template = services.get_template(api_workspace(request), template_id)
    if template is None:
        raise Http404("Not found.")
    return template


@router.get(
    "/templates",
    response=responses({200: list[TemplateOut]}),
    summary="List the engagement templates",
    description="The built-in templates (the same ids in every workspace), then the "
    "workspace's own by name.",
)
def list_templates(request):
    return [template_out(t) for t in services.list_templates(api_workspace(request))]


@router.get(
    "/templates/{template_id}",
    response=responses({200: TemplateOut}, 404),
    summary="Read an engagement template",
)
def get_template(request, template_id: UUID):
    return template_out(_template(request, template_id))


@router.post(
    "/templates/{template_id}/engagements",
    response=responses({201: EngagementOut}, 403, 404, 413),
    summary="Create an engagement from a template",
    description="The new engagement has the template's stakeholders, resistance points "
    "and plan settings, with the customer, dates and people given here. Generate its "
    "plan with `POST /engagements/{id}/plan/generate`.",
)
def create_from_template(request, template_id: UUID, payload: FromTemplateIn):
    require_write(request)
    template = _template(request, template_id)
    sponsor = payload.sponsor
    lead = payload.delivery_lead
    with model_validation(START_PATHS):
        engagement = services.create_engagement_from_template(
            api_workspace(request),
            template,
            name=payload.name,
            customer=payload.customer,
            go_live_date=payload.go_live_date,
            kickoff_date=payload.kickoff_date,
            sponsor_name=sponsor.name if sponsor else "",
            sponsor_email=(sponsor.email or "") if sponsor else "",
            delivery_lead_name=lead.name if lead else "",
            delivery_lead_email=(lead.email or "") if lead else "",
            actor=api_membership(request).user,
        )
    return Status(201, engagement_out(engagement))


@router.post(
    "/engagements/{engagement_id}/template",
    response=responses({201: TemplateOut}, 403, 404, 413),
    summary="Save an engagement as a template",
    description="The template keeps the landscape's groups and roles, the resistance points "
    "with their mitigations and the plan settings; people become their title or role, and "
    "emails, scores, headcounts, notes and the plan's items stay with the engagement.",
)
def save_as_template(request, engagement_id: UUID, payload: SaveAsTemplateIn):
    engagement = api_engagement(request, engagement_id, write=True)
    with model_validation():
        template = services.save_as_template(
            engagement,
            name=payload.name,
            description=payload.description,
            industry=payload.industry,
            actor=api_membership(request).user,
        )
    return Status(201, template_out(template))


@router.delete(
    "/templates/{template_id}",
    response=responses({204: None}, 403, 404),
    summary="Delete one of the workspace's templates",
    description="Built-in templates cannot be deleted (404). Engagements made from the "
    "template keep everything.",
)
def delete_template(request, template_id: UUID):
    require_write(request)
    template = _template(request, template_id)
    if template.built_in:
        raise Http404("Not found.")
    services.delete_template(template, actor=api_membership(request).user)
    return Status(204, None)
