"""Portfolio pages: thin views over `services`; every fetch goes through tenancy."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from changeready.activity.models import ActivityEvent
from changeready.common.dates import parse_as_of
from changeready.core.model import PHASES
from changeready.engagements.models import Engagement
from changeready.integrations import services as integration_services
from changeready.portfolio import digest, insights, services
from changeready.portfolio.charts import ScatterPoint, readiness_adoption_svg
from changeready.portfolio.feeds import feed_calendar
from changeready.workspaces.tenancy import (
    LAST_WORKSPACE_SESSION_KEY,
    get_engagement_for_member,
    get_own_membership,
    get_workspace_for_member,
)


def _link(filters: services.PortfolioFilters, extra: dict, **overrides) -> str:
    return "?" + urlencode({**filters.query(**overrides), **extra})


PORTFOLIO_PAGE_SIZE = 50


def _page_links(page, filters: services.PortfolioFilters, extra: dict) -> dict[str, str]:
    """Links to the previous and next page that keep the filters and the sort."""
    links = {}
    if page.has_previous():
        links["previous"] = _link(filters, {**extra, "page": page.previous_page_number()})
    if page.has_next():
        links["next"] = _link(filters, {**extra, "page": page.next_page_number()})
    return links


def _sort_columns(filters: services.PortfolioFilters, extra: dict) -> dict[str, dict]:
    """Per sortable column: the link that sorts by it and its `aria-sort` value."""
    columns = {}
    for key, label in services.SORTS.items():
        current = filters.sort == key
        # A first click shows what a leader looks for first: the weakest readiness,
        # the nearest go-live, the largest contract.
        descending = not filters.descending if current else key == "arr"
        columns[key] = {
            "label": label,
            "href": _link(filters, extra, sort=key, descending=descending),
            "aria_sort": ("descending" if filters.descending else "ascending")
            if current
            else "none",
            "current": current,
        }
    return columns


PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
# Rows are plain tuples, without `get_phase_display`.
PHASE_LABELS = dict(Engagement.PHASE_CHOICES)


def _weeks_text(weeks: int) -> str:
    if weeks > 0:
        return f"in {weeks} wk"
    return "go-live week" if weeks == 0 else f"live {-weeks} wk"


def _amount(value) -> str:
    return number_format(value, decimal_pos=0 if value == int(value) else 2, force_grouping=True)


def _row_views(rows: list[services.PortfolioRow]) -> list[dict]:
    """Each row's text prepared once: a thousand rows render fast with plain lookups."""
    engagement_href = reverse("engagement", args=[PLACEHOLDER_ID])
    assessment_href = reverse("assessment", args=[PLACEHOLDER_ID])
    views = []
    for row in rows:
        e = row.engagement
        engagement_id = str(e.id)
        views.append(
            {
                "name": e.name,
                "customer": e.customer,
                "phase": PHASE_LABELS[e.phase],
                "href": engagement_href.replace(PLACEHOLDER_ID, engagement_id),
                "assessment_href": assessment_href.replace(PLACEHOLDER_ID, engagement_id),
                "band": row.readiness_band,
                "readiness": f"{row.readiness_score} {row.band_label.lower()}",
                "go_live_iso": e.go_live_date.isoformat(),
                "go_live": f"{e.go_live_date.day} {e.go_live_date:%b %Y}",
                "weeks": _weeks_text(row.weeks_to_go_live),
                "critical": row.critical_labels,
                "plan": f"{row.plan_items_done} of {row.plan_items} done" if row.plan_items else "",
                "handoff": row.handoff_label,
                "arr": _amount(e.arr) if e.arr is not None else "",
            }
        )
    return views


def _section_part(filters: services.PortfolioFilters, page_number: str) -> str:
    """What names a portfolio section in the cache: its query, hashed (names may be long)."""
    query = urlencode(sorted({**filters.query(), "page": page_number}.items()))
    return f"section:{hashlib.sha256(query.encode()).hexdigest()}"


def _render_section(
    workspace, as_of, filters, page_number: str, is_today: bool
) -> tuple[int, str, bool]:
    """(engagements in the workspace, the section's HTML as text, whether it may be kept)."""
    result = services.portfolio(workspace, as_of, filters)
    # Links keep a look-ahead date, so sorting does not jump back to today.
    extra = {} if is_today else {"as_of": as_of.isoformat()}
    # Totals cover every engagement; the table shows one page of them, so a
    # workspace of a thousand engagements renders as fast as one of fifty.
    page = Paginator(result.rows, PORTFOLIO_PAGE_SIZE).get_page(page_number)
    html = render_to_string(
        "portfolio/_portfolio_section.html",
        {
            "workspace": workspace,
            "portfolio": result,
            "rows": _row_views(page.object_list),
            "page": page,
            "page_links": _page_links(page, filters, extra),
            "filters": filters,
            "columns": _sort_columns(filters, extra),
            "sort_label": services.SORTS[filters.sort],
            "phases": [(value, value.replace("_", " ").capitalize()) for value in PHASES],
            "bands": services.BAND_LABELS,
            "windows": services.WINDOWS,
            "sorts": services.SORTS,
            "band_links": {band: _link(filters, extra, band=band) for band in services.BAND_LABELS},
            "is_today": is_today,
        },
    )
    # A page out of range (shown as the last) or a name nobody has is answered,
    # not kept: what is kept is bounded by the workspace's own pages and names.
    exact_page = page_number in ("", str(page.number))
    known_names = (
        not filters.delivery_lead or filters.delivery_lead in result.delivery_leads
    ) and (not filters.cs_owner or filters.cs_owner in result.cs_owners)
    return result.engagement_count, str(html), exact_page and known_names


def portfolio_section(workspace, as_of, filters, page_number: str, is_today: bool) -> tuple:
    """(engagements in the workspace, the portfolio's totals, filters and page of its table).

    Today's section is kept per workspace and query under the portfolio's
    stamp (`services.kept_under_stamp`): it shows nothing of the person
    asking, so every member shares it. A look-ahead date is rendered each time.
    """
    if not is_today:
        return _render_section(workspace, as_of, filters, page_number, is_today)[:2]
    stamp = services.portfolio_stamp(workspace, as_of)
    if not stamp.engagement_count:
        return 0, ""
    html = services.kept_under_stamp(
        workspace,
        stamp,
        _section_part(filters, page_number),
        lambda: _render_section(workspace, as_of, filters, page_number, is_today)[1:],
    )
    return stamp.engagement_count, mark_safe(html)  # rendered, so escaped, by the template


@login_required
@require_http_methods(["GET"])
def workspace_home(request, slug):
    """The signed-in home of a workspace is its portfolio."""
    membership = get_workspace_for_member(request, slug)
    if request.session.get(LAST_WORKSPACE_SESSION_KEY) != slug:  # no session write per visit
        request.session[LAST_WORKSPACE_SESSION_KEY] = slug
    today = timezone.localdate()
    as_of = parse_as_of(request.GET.get("as_of"), today)
    engagement_count, section = portfolio_section(
        membership.workspace,
        as_of,
        services.parse_filters(request.GET),
        (request.GET.get("page") or "").strip()[:12],
        is_today=as_of == today,
    )
    return render(
        request,
        "portfolio/portfolio.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "as_of": as_of,
            "is_today": as_of == today,
            "engagement_count": engagement_count,
            "section": section,
        },
    )


@login_required
@require_GET
def calendar_page(request, slug):
    membership = get_workspace_for_member(request, slug)
    workspace = membership.workspace
    today = timezone.localdate()
    as_of = parse_as_of(request.GET.get("as_of"), today)

    def weeks() -> tuple[str, bool]:
        calendar = services.go_live_calendar(workspace, as_of)
        return render_to_string("portfolio/_calendar_weeks.html", {"calendar": calendar}), True

    if as_of == today:  # today's weeks are the same for every member: kept like the portfolio's
        html = services.kept_under_stamp(
            workspace, services.portfolio_stamp(workspace, as_of), "calendar", weeks
        )
    else:
        html = weeks()[0]
    return render(
        request,
        "portfolio/calendar.html",
        {
            "workspace": workspace,
            "membership": membership,
            "as_of": as_of,
            "is_today": as_of == today,
            "weeks": mark_safe(html),  # rendered, so escaped, by the template
        },
    )


@login_required
@require_GET
def insights_page(request, slug):
    membership = get_workspace_for_member(request, slug)
    as_of = parse_as_of(request.GET.get("as_of"), timezone.localdate())
    result = insights.portfolio_insights(membership.workspace, as_of)
    points = [
        ScatterPoint(
            label=o.engagement.name,
            readiness=o.readiness_at_go_live,
            adoption=o.adoption_at_week_8,
            band=o.readiness_band or "",
            href=reverse("engagement", args=[o.engagement.id]),
        )
        for o in result.outcomes
    ]
    return render(
        request,
        "portfolio/insights.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "insights": result,
            "as_of": as_of,
            "scatter_svg": readiness_adoption_svg(points),
            "adoption_week": insights.ADOPTION_WEEK,
        },
    )


ACTIVITY_PER_PAGE = 50


def _page(request, events):
    return Paginator(events, ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))


@login_required
@require_GET
def engagement_activity(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return render(
        request,
        "portfolio/engagement_activity.html",
        {
            "engagement": engagement,
            "membership": membership,
            "page": _page(request, ActivityEvent.objects.filter(engagement=engagement)),
        },
    )


@login_required
@require_GET
def workspace_activity(request, slug):
    membership = get_workspace_for_member(request, slug)
    events = ActivityEvent.objects.for_workspace(membership.workspace).select_related("engagement")
    return render(
        request,
        "portfolio/workspace_activity.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "page": _page(request, events),
        },
    )


class DigestForm(forms.Form):
    weekly_digest = forms.BooleanField(
        label="Email me a weekly digest",
        required=False,
        help_text=(
            "Every Monday: the plan items named after you (your name or email as the item's "
            "owner) due this week and next, and the engagements whose readiness dropped."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request, slug):
    membership = get_own_membership(request, slug)
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            enabled = form.cleaned_data["weekly_digest"]
            digest.set_weekly_digest(membership, enabled)
            messages.success(
                request, "Weekly digest switched on." if enabled else "Weekly digest switched off."
            )
            return redirect("digest_settings", slug)
    else:
        form = DigestForm(initial={"weekly_digest": digest.wants_weekly_digest(membership)})
    return render(
        request,
        "portfolio/digest_settings.html",
        {"workspace": membership.workspace, "membership": membership, "form": form},
    )


@require_GET
def calendar_feed(request, token):
    """The feed's ICS. No session: calendar apps fetch it with the secret URL alone."""
    feed = integration_services.active_calendar_feed(token)
    if feed is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        feed_calendar(feed, timezone.localdate()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-cache"
    return response
