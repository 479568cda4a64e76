"""Pulse surveys in the public API (DOMAIN.md section 9).

`POST /engagements/{id}/surveys` creates a survey and returns its personal
links (or its shared link) once; `GET /surveys/{id}` reports its status,
response count and ADKAR result per stakeholder, under the same anonymity
rule as the pages (no result below three responses). Personal links are not
repeated by GET: they are secrets of their respondents.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from changeready.api.auth import api_engagement, api_get, api_membership
from changeready.api.errors import model_validation, responses
from changeready.api.schemas import Email, InputSchema, Text200
from changeready.surveys import services
from changeready.surveys.links import personal_url, shared_url
from changeready.surveys.models import Survey
from changeready.surveys.results import survey_summary, with_counts

router = Router(tags=["surveys"])


class RespondentIn(InputSchema):
    name: Text200 = ""
    email: Email


class SurveyIn(InputSchema):
    multiline_fields = frozenset({"intro"})

    stakeholders: list[UUID] = Field(..., min_length=1, description="Stakeholder ids it is for.")
    respondents: list[RespondentIn] = Field(
        default_factory=list,
        description="People to email a personal link; leave out for one shared link.",
    )
    closes_on: date | None = Field(None, description="Default: 14 days from today.")
    title: str = Field("", max_length=200)
    intro: str | None = Field(None, max_length=2000)
    free_text_question: str = Field("", max_length=300)


class AdkarOut(Schema):
    awareness: float | None
    desire: float | None
    knowledge: float | None
    ability: float | None
    reinforcement: float | None


class StakeholderResultOut(Schema):
    id: UUID
    name: str
    adkar: AdkarOut | None = Field(
        description="The survey's mean per element; null below `results_at` responses, "
        "and an element is null where fewer than `results_at` people answered it."
    )


class InvitationOut(Schema):
    name: str
    email: str
    url: str


class SurveyOut(Schema):
    id: UUID
    engagement_id: UUID
    title: str
    mode: str
    status: str = Field(description="`open`, `closed` or `revoked`.")
    closes_on: date
    created_at: datetime
    responses: int
    invited: int
    answered: int
    results_at: int
    stakeholders: list[StakeholderResultOut]
    url: str | None = Field(None, description="The shared link (shared surveys, writers only).")


class SurveyCreatedOut(SurveyOut):
    invitations: list[InvitationOut]


def _summary(survey_id) -> dict:
    survey = with_counts(Survey.objects.filter(id=survey_id)).get()
    return survey_summary(survey, today=timezone.localdate())


@router.post(
    "/engagements/{engagement_id}/surveys",
    response=responses({201: SurveyCreatedOut}, 403, 404, 413),
    summary="Create a pulse survey and get its links",
)
def create_survey(request, engagement_id: UUID, payload: SurveyIn):
    engagement = api_engagement(request, engagement_id, write=True)
    with model_validation():
        survey = services.create_survey(
            engagement=engagement,
            created_by=api_membership(request).user,
            stakeholder_ids=payload.stakeholders,
            respondents=[(r.name, r.email) for r in payload.respondents],
            closes_on=payload.closes_on,
            title=payload.title,
            intro=payload.intro,
            free_text_question=payload.free_text_question,
        )
    body = _summary(survey.id)
    body["url"] = shared_url(survey) if survey.is_shared else None
    body["invitations"] = [
        {"name": r.name, "email": r.email, "url": personal_url(r)}
        for r in survey.respondents.order_by("email")
    ]
    return Status(201, body)


@router.get(
    "/surveys/{survey_id}",
    response=responses({200: SurveyOut}, 404),
    summary="A survey's status, response count and ADKAR result per stakeholder",
)
def get_survey(request, survey_id: UUID):
    survey = api_get(request, Survey, survey_id)
    body = _summary(survey.id)
    if survey.is_shared and api_membership(request).can_write:
        body["url"] = shared_url(survey)
    return body
