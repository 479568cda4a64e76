"""API v1: the portfolio (DOMAIN.md section 9)."""

from __future__ import annotations

from datetime import date
from functools import partial
from uuid import UUID

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema

from changeready.api.auth import api_workspace
from changeready.api.errors import responses
from changeready.api.rendering import JSON_CONTENT_TYPE, json_body
from changeready.api.schemas import AsOf, choice
from changeready.core.model import READINESS_BANDS
from changeready.portfolio.services import cached_portfolio_body

router = Router(tags=["portfolio"])

Band = choice(READINESS_BANDS)


class ReadinessOut(Schema):
    score: int = Field(ge=0, le=100)
    band: Band


class PortfolioEngagementOut(Schema):
    id: UUID
    name: str
    customer: str
    readiness: ReadinessOut
    go_live_date: date
    weeks_to_go_live: int = Field(
        description="Plan weeks until go-live week: 0 in go-live week, negative once live."
    )
    critical: list[str] = Field(description="Its critical finding codes, each once.")
    arr: float | None


class PortfolioTotalsOut(Schema):
    ready: int
    at_risk: int
    not_ready: int
    arr_at_risk: float = Field(description="The summed `arr` of engagements `not_ready`.")
    arr_watch: float = Field(description="The summed `arr` of engagements `at_risk`.")


class PortfolioOut(Schema):
    engagements: list[PortfolioEngagementOut]
    totals: PortfolioTotalsOut


@router.get(
    "/portfolio",
    response=responses({200: PortfolioOut}),
    summary="Every engagement's readiness, and the ARR at risk",
)
def portfolio(request, as_of: AsOf | None = None):
    """Every engagement of the token's workspace, assessed as of `as_of` (today without it),
    exactly as each engagement's own assessment says."""
    content = cached_portfolio_body(
        api_workspace(request), as_of or timezone.localdate(), partial(json_body, PortfolioOut)
    )
    return HttpResponse(content, content_type=JSON_CONTENT_TYPE)
