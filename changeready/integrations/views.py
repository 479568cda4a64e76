"""Web pages of the integrations: webhook endpoints in the workspace settings
(owners and admins), and each member's calendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from changeready.common.forms import save_through
from changeready.engagements.models import Engagement
from changeready.integrations import services
from changeready.integrations.forms import CalendarFeedForm, EndpointForm
from changeready.integrations.models import CalendarFeed, WebhookEndpoint
from changeready.workspaces.tenancy import get_own_membership, get_workspace_for_member

DELIVERIES_SHOWN = 50


def _secret_page(request, workspace, issued, *, rotated: bool):
    response = render(
        request,
        "integrations/secret.html",
        {
            "workspace": workspace,
            "endpoint": issued.endpoint,
            "secret": issued.secret,
            "rotated": rotated,
        },
    )
    # The secret is shown once: no cache may keep the page.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request, slug):
    membership = get_workspace_for_member(request, slug, manage=True)
    workspace = membership.workspace
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        issued = []
        if save_through(
            form,
            lambda: issued.append(
                services.create_endpoint(workspace, created_by=request.user, **fields)
            ),
        ):
            return _secret_page(request, workspace, issued[0], rotated=False)
    return render(
        request,
        "integrations/webhooks.html",
        {
            "workspace": workspace,
            "membership": membership,
            "form": form,
            "endpoints": WebhookEndpoint.objects.for_workspace(workspace),
        },
        status=422 if form.errors else 200,
    )


def _endpoint(request, slug, endpoint_id):
    membership = get_workspace_for_member(request, slug, manage=True)
    endpoint = get_object_or_404(
        WebhookEndpoint.objects.for_workspace(membership.workspace), id=endpoint_id
    )
    endpoint.workspace = membership.workspace
    return membership, endpoint


@login_required
@require_http_methods(["GET", "POST"])
def webhook(request, slug, endpoint_id):
    membership, endpoint = _endpoint(request, slug, endpoint_id)
    initial = {name: getattr(endpoint, name) for name in ("kind", "url", "description", "events")}
    form = EndpointForm(request.POST or None, initial={**initial, "version": endpoint.version})
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if save_through(
            form,
            lambda: services.update_endpoint(
                endpoint, expected_version=form.cleaned_data["version"], **changes
            ),
        ):
            messages.success(request, "Endpoint saved.")
            return redirect("webhook", slug, endpoint.id)
    deliveries = endpoint.deliveries.prefetch_related("attempt_log")[:DELIVERIES_SHOWN]
    return render(
        request,
        "integrations/webhook.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "endpoint": endpoint,
            "form": form,
            "deliveries": deliveries,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def webhook_enabled(request, slug, endpoint_id):
    _, endpoint = _endpoint(request, slug, endpoint_id)
    enabled = request.POST.get("enabled") == "on"
    services.set_endpoint_enabled(endpoint, enabled)
    messages.success(request, "Endpoint switched on." if enabled else "Endpoint switched off.")
    return redirect("webhook", slug, endpoint.id)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_rotate(request, slug, endpoint_id):
    membership, endpoint = _endpoint(request, slug, endpoint_id)
    if request.method == "POST":
        return _secret_page(
            request, membership.workspace, services.rotate_secret(endpoint), rotated=True
        )
    return render(
        request,
        "integrations/confirm.html",
        {"workspace": membership.workspace, "endpoint": endpoint, "action": "rotate"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request, slug, endpoint_id):
    membership, endpoint = _endpoint(request, slug, endpoint_id)
    if request.method == "POST":
        services.delete_endpoint(endpoint)
        messages.success(request, f"Endpoint “{endpoint}” deleted.")
        return redirect("webhooks", slug)
    return render(
        request,
        "integrations/confirm.html",
        {"workspace": membership.workspace, "endpoint": endpoint, "action": "delete"},
    )


def _act(request, slug, endpoint, write, done: str):
    try:
        write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("webhook", slug, endpoint.id)


@login_required
@require_POST
def webhook_test(request, slug, endpoint_id):
    _, endpoint = _endpoint(request, slug, endpoint_id)
    return _act(
        request,
        slug,
        endpoint,
        lambda: services.send_test_event(endpoint),
        "Test event queued: it appears in the log below once sent.",
    )


@login_required
@require_POST
def delivery_replay(request, slug, endpoint_id, delivery_id):
    _, endpoint = _endpoint(request, slug, endpoint_id)
    delivery = get_object_or_404(endpoint.deliveries.select_related("endpoint"), id=delivery_id)
    return _act(
        request,
        slug,
        endpoint,
        lambda: services.replay_delivery(delivery),
        "Delivery queued again.",
    )


# --- calendar feeds ------------------------------------------------------------


def _calendar_page(request, membership, form, *, new_url="", status=200):
    response = render(
        request,
        "integrations/calendar_feeds.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "form": form,
            "feeds": CalendarFeed.objects.filter(membership=membership)
            .active()
            .select_related("engagement"),
            "new_url": new_url,
        },
        status=status,
    )
    if new_url:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feeds(request, slug):
    """Any member, viewers too: a feed only reads what they can already see."""
    membership = get_own_membership(request, slug)
    engagements = Engagement.objects.for_workspace(membership.workspace).order_by(
        "customer", "name"
    )
    form = CalendarFeedForm(request.POST or None, engagements=engagements)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["engagement"]
        engagement = engagements.get(id=chosen) if chosen else None
        issued = services.create_calendar_feed(membership, engagement)
        return _calendar_page(request, membership, form, new_url=issued.url)
    return _calendar_page(request, membership, form, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_revoke(request, slug, feed_id):
    membership = get_own_membership(request, slug)
    feed = get_object_or_404(
        CalendarFeed.objects.filter(membership=membership).active().select_related("engagement"),
        id=feed_id,
    )
    if request.method == "POST":
        services.revoke_calendar_feed(feed)
        messages.success(request, "Calendar feed revoked: its URL no longer works.")
        return redirect("calendar_feeds", slug)
    return render(
        request,
        "integrations/calendar_feed_revoke.html",
        {"workspace": membership.workspace, "feed": feed},
    )
