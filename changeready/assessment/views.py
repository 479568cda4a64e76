from collections import Counter
from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

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
from changeready.core.assessment import Assessment
from changeready.core.findings import FINDING_CATALOGUE
from changeready.core.weeks import weeks_to_go_live
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
    engagement, _ = get_engagement_for_member(request, engagement_id)
    as_of = parse_as_of(request.GET.get("as_of"), services.today())
    is_today = as_of == services.today()

    def content(assessment: Assessment, history: list[tuple[date, int]]) -> str:
        return _assessment_content(engagement, assessment, history, as_of=as_of, is_today=is_today)

    # The page is the same for every reader (it has no writer's buttons); its
    # links differ for a past day, which the part's name carries.
    part = "page" if is_today else "page-past-day"
    return render(
        request,
        "assessment/assessment.html",
        {
            "engagement": engagement,
            "content_html": services.cached_page_part(engagement, as_of, part, content),
        },
    )


def _assessment_content(
    engagement, assessment: Assessment, history: list[tuple[date, int]], *, as_of, is_today
) -> str:
    heat_points = [
        HeatPoint(
            name=s.name,
            influence=s.influence,
            likelihood=float(s.terms.likelihood),
            band=s.band,
        )
        for s in assessment.stakeholders
    ]
    return render_to_string(
        "assessment/_assessment_content.html",
        {
            "engagement": engagement,
            "assessment": assessment,
            "as_of": as_of,
            "is_today": is_today,
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


# The engagement's overview page sits here rather than in the engagements app
# because it shows the readiness, which the engagements app is below.
@login_required
@require_http_methods(["GET"])
def engagement_detail(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    today = services.today()

    can_write = membership.can_write

    def content(assessment: Assessment, history) -> str:
        return _overview_content(engagement, assessment, today, can_write=can_write)

    # A writer's page has the actions (edit, delete…); nothing else differs by reader.
    part = "overview-writer" if can_write else "overview-reader"
    return render(
        request,
        "engagements/engagement_detail.html",
        {
            "engagement": engagement,
            "content_html": services.cached_page_part(engagement, today, part, content),
        },
    )


def _overview_content(engagement, assessment: Assessment, today: date, *, can_write: bool) -> str:
    return render_to_string(
        "engagements/_overview_content.html",
        {
            "engagement": engagement,
            "can_write": can_write,
            "weeks_to_go_live": weeks_to_go_live(engagement.go_live_date, today),
            "assessment": assessment,
            "readiness": assessment.readiness,
            "gauge_svg": readiness_gauge_svg(assessment.readiness.score, assessment.readiness.band),
            "top_findings": [
                (finding, FINDING_CATALOGUE[finding.code].title)
                for finding in assessment.findings
                if finding.severity == "critical"
            ][:OVERVIEW_FINDINGS],
            "finding_counts": Counter(finding.severity for finding in assessment.findings),
        },
    )


# The overview names this many critical findings; the assessment tab has them all.
OVERVIEW_FINDINGS = 3
