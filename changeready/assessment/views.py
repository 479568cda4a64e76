from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from changeready.assessment import services
from changeready.assessment.charts import (
    HeatPoint,
    readiness_gauge_svg,
    readiness_history_svg,
    risk_heatmap_svg,
)
from changeready.assessment.presentation import (
    adopters_by_people,
    blockers_by_risk,
    explain_terms,
    findings_by_killer,
    readiness_view,
    theme_words,
)
from changeready.common.dates import parse_as_of
from changeready.workspaces.tenancy import get_engagement_for_member


def _context(request, engagement_id) -> dict:
    engagement, membership = get_engagement_for_member(request, engagement_id)
    as_of = parse_as_of(request.GET.get("as_of"), services.today())
    return {
        "engagement": engagement,
        "membership": membership,
        "assessment": services.cached_assessment(engagement, as_of),
        "as_of": as_of,
        "is_today": as_of == services.today(),
    }


@login_required
@require_GET
def assessment_page(request, engagement_id):
    """The verdict and its reasons; the per-stakeholder breakdown loads on demand,
    so a page of 500 stakeholders stays small."""
    context = _context(request, engagement_id)
    assessment = context["assessment"]
    history = services.readiness_history(context["engagement"])
    heat_points = [
        HeatPoint(
            name=s.name,
            influence=s.influence,
            likelihood=float(s.terms.likelihood),
            band=s.band,
        )
        for s in assessment.stakeholders
    ]
    return render(
        request,
        "assessment/assessment.html",
        {
            **context,
            "readiness": readiness_view(assessment),
            "adopters": adopters_by_people(assessment),
            "blockers": blockers_by_risk(assessment),
            "killers": findings_by_killer(assessment),
            "gauge_svg": readiness_gauge_svg(assessment.readiness.score, assessment.readiness.band),
            "heatmap_svg": risk_heatmap_svg(heat_points),
            "history_svg": readiness_history_svg(history),
            "history_points": len(history),
        },
    )


@login_required
@require_GET
def assessment_breakdown(request, engagement_id):
    """Every stakeholder's risk with its terms: the section alone for htmx, else a page."""
    context = _context(request, engagement_id)
    rows = [
        {"assessment": s, "terms": explain_terms(s), "themes": theme_words(s.themes)}
        for s in context["assessment"].stakeholders
    ]
    template = (
        "assessment/_breakdown.html"
        if request.headers.get("HX-Request")
        else "assessment/breakdown.html"
    )
    return render(request, template, {**context, "rows": rows})
