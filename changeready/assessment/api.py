"""API v1: an engagement's assessment, computed now (DOMAIN.md section 9)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ninja import Field, Router, Schema

from changeready.api.auth import api_engagement
from changeready.api.errors import responses
from changeready.api.schemas import choice
from changeready.assessment import services
from changeready.core.findings import FINDING_CODES
from changeready.core.model import (
    ADKAR_ELEMENTS,
    QUADRANTS,
    READINESS_BANDS,
    RISK_BANDS,
    SEVERITIES,
)

router = Router(tags=["assessment"])


class ReadinessOut(Schema):
    score: int = Field(ge=0, le=100)
    band: choice(READINESS_BANDS)
    uncapped_score: int = Field(
        ge=0, le=100, description="Before the cap of critical (49) and warning (79) findings."
    )


class TermsOut(Schema):
    consequence: float = Field(description="0.6·n(influence) + 0.4·n(impact), at least 0.1.")
    engagement: float = Field(description="Engagement gap E.")
    resistance: float = Field(description="Open resistance R.")
    signals: float = Field(description="Resistor signals S.")
    barrier: float = Field(description="ADKAR barrier B.")
    not_involved: float = Field(description="Not in the room I (0 or 1).")
    likelihood: float = Field(description="0.30E + 0.25R + 0.15S + 0.20B + 0.10I.")


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
    resistor: bool
    floored: bool = Field(description="True when the go-live floor raised the risk to 40.")
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
def engagement_assessment(request, engagement_id: UUID, as_of: date | None = None):
    """Stakeholder risks with every term, the findings and readiness, as of `as_of`
    (today without it): the same judgement as the engagement's assessment page."""
    engagement = api_engagement(request, engagement_id)
    assessment = services.cached_assessment(engagement, as_of or services.today())
    return services.assessment_body(engagement, assessment)
