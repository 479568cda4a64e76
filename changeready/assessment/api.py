"""API v1: an engagement's assessment, computed now (DOMAIN.md section 9)."""

from __future__ import annotations

from datetime import date
from functools import partial
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Router, Schema

from changeready.api.auth import api_engagement
from changeready.api.errors import responses
from changeready.api.rendering import JSON_CONTENT_TYPE, json_body
from changeready.api.schemas import AsOf, choice
from changeready.assessment import services
from changeready.core.findings import FINDING_CODES
from changeready.core.model import (
    ADKAR_ELEMENTS,
    QUADRANTS,
    READINESS_BANDS,
    RISK_BANDS,
    SEVERITIES,
)
from changeready.core.themes import THEME_CODES

router = Router(tags=["assessment"])


class ReadinessOut(Schema):
    score: int = Field(ge=0, le=100, description="round(100 - max(adoption_risk, blocking_risk)).")
    band: choice(READINESS_BANDS) = Field(
        description="The score's band, lowered to not_ready by any critical finding and to at "
        "most at_risk by any warning."
    )
    capped_by: list[choice(FINDING_CODES)] = Field(
        description="The finding codes that lowered the band below the score's own band, once "
        "each in the order of findings: every critical code when a critical did, else every "
        "warning code; empty when the findings lowered nothing."
    )
    adoption_risk: float = Field(
        ge=0,
        le=100,
        description="Will the people adopt it? 100 x the adopters' mean adoption likelihood, "
        "weighted by people x impact.",
    )
    blocking_risk: float = Field(
        ge=0,
        le=100,
        description="Can anyone block it? 0.8 x the highest risk among stakeholders of "
        "influence 4 or more.",
    )


class TermsOut(Schema):
    consequence: float = Field(description="0.6·n(influence) + 0.4·n(impact), at least 0.1.")
    engagement: float = Field(description="Engagement gap E.")
    resistance: float = Field(description="Open resistance R.")
    signals: float = Field(description="Resistor signals S.")
    barrier: float = Field(description="ADKAR barrier B.")
    not_involved: float = Field(description="Not in the room I (0 or 1).")
    likelihood: float = Field(description="0.30E + 0.25R + 0.15S + 0.20B + 0.10I.")


class ThemeOut(Schema):
    code: choice(THEME_CODES)
    matched: list[str] = Field(description="The phrases that matched, as written.")


class AdoptionOut(Schema):
    weight: int = Field(ge=0, description="people x impact.")
    likelihood: float = Field(
        ge=0, le=1, description="How likely they are not to adopt: estimated, or measured."
    )
    measured_week: int | None = Field(
        description="The plan week whose actual adoption replaced the estimate; null when "
        "estimated."
    )


class StakeholderAssessmentOut(Schema):
    id: UUID
    name: str
    risk: int = Field(ge=0, le=100)
    band: choice(RISK_BANDS)
    quadrant: choice(QUADRANTS)
    barrier: choice(ADKAR_ELEMENTS) | None = Field(
        description="The ADKAR barrier; null when there is none or no score is known."
    )
    adkar_known: bool = Field(description="False when no ADKAR element is scored.")
    resistor: bool = Field(description="Not yet supportive or leading, with a resistor signal.")
    ramped: bool = Field(
        description="True when the calendar ramp raised the risk above its weighted value."
    )
    people: int = Field(
        ge=0,
        description="A group's headcount (10 when absent); 1 for a person on their own; 0 for "
        "a person inside a group.",
    )
    themes: list[ThemeOut] = Field(description="What their own words are about.")
    blocker: bool = Field(description="Influence 4 or more: weighs in the blocking risk.")
    adoption: AdoptionOut | None = Field(
        description="An adopter's part in the adoption risk; null for everyone else."
    )
    terms: TermsOut


class FindingOut(Schema):
    code: choice(FINDING_CODES)
    severity: choice(SEVERITIES)
    message: str
    subject_ids: list[UUID]
    action: str


class AssessmentOut(Schema):
    engagement_id: UUID
    as_of: date
    readiness: ReadinessOut
    stakeholders: list[StakeholderAssessmentOut]
    findings: list[FindingOut]


@router.get(
    "/engagements/{engagement_id}/assessment",
    response=responses({200: AssessmentOut}, 404),
    summary="The engagement's assessment, computed now",
)
def engagement_assessment(request, engagement_id: UUID, as_of: AsOf | None = None):
    """Stakeholder risks with every term, the findings and readiness, as of `as_of`
    (today without it): the same judgement as the engagement's assessment page."""
    engagement = api_engagement(request, engagement_id)
    content = services.cached_assessment_body(
        engagement, as_of or services.today(), partial(json_body, AssessmentOut)
    )
    return HttpResponse(content, content_type=JSON_CONTENT_TYPE)
