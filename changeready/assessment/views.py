from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from changeready.assessment import services
from changeready.assessment.charts import (
    HeatPoint,
    readiness_gauge_svg,
    readiness_history_svg,
    risk_heatmap_svg,
)
from changeready.assessment.presentation import explain_terms, findings_by_killer
from changeready.workspaces.tenancy import get_engagement_for_member


def parse_as_of(raw: str | None) -> date:
    """`?as_of=YYYY-MM-DD` to look ahead (or back); today without it."""
    if not raw:
        return services.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Http404("as_of must be a date like 2027-02-22.") from None


@login_required
@require_GET
def assessment_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    as_of = parse_as_of(request.GET.get("as_of"))
    assessment = services.cached_assessment(engagement, as_of)
    influence = {str(k): v for k, v in engagement.stakeholders.values_list("id", "influence")}
    stakeholders = [
        {"assessment": s, "terms": explain_terms(s), "influence": influence[s.id]}
        for s in assessment.stakeholders
    ]
    history = services.readiness_history(engagement)
    heat_points = [
        HeatPoint(
            name=row["assessment"].name,
            influence=row["influence"],
            likelihood=float(row["assessment"].terms.likelihood),
            band=row["assessment"].band,
            href=f"#stakeholder-{row['assessment'].id}",
        )
        for row in stakeholders
    ]
    return render(
        request,
        "assessment/assessment.html",
        {
            "engagement": engagement,
            "membership": membership,
            "assessment": assessment,
            "as_of": as_of,
            "is_today": as_of == services.today(),
            "killers": findings_by_killer(assessment),
            "stakeholders": stakeholders,
            "gauge_svg": readiness_gauge_svg(assessment.readiness.score, assessment.readiness.band),
            "heatmap_svg": risk_heatmap_svg(heat_points),
            "history_svg": readiness_history_svg(history),
            "history_points": len(history),
        },
    )
