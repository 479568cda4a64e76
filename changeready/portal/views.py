"""The customer portal: the contributor's pages (no account, a signed link) and
the team's invite, resend, revoke and preview.

A contributor's pages never change anything on GET (mail scanners open
links); every action is a POST with Django's CSRF check, which works for
visitors without a session through the CSRF cookie the page sets. Every
request through a link is rate limited: per link, and bad links per client
address (`common/throttle.py`, the limits in settings).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from changeready.assessment.services import today
from changeready.common import throttle
from changeready.handoff import documents
from changeready.handoff.exports import (
    UnknownFormat,
    download_response,
    render_export,
)
from changeready.handoff.views import DOWNLOADS
from changeready.portal import services
from changeready.portal.forms import MessageForm
from changeready.portal.links import contributor_from_opt_out_token, contributor_from_token
from changeready.portal.models import Contributor
from changeready.portal.page import portal_page
from changeready.workspaces.tenancy import get_engagement_for_member, require_writer

NOTICES = {
    "done": "Marked done. Thank you: the team sees it on the plan.",
    "comment": "Comment added. The team sees it with the step.",
    "help": "Your request is on its way to the team; they will get back to you.",
    "prepare": "Being prepared: this page shows the file once it is ready.",
}
ACTIONS = ("done", "comment", "help")


def _private(response: HttpResponse) -> HttpResponse:
    """Never cached (a revoked link must stop at once, and devices are shared),
    never indexed. `same-origin`, not `no-referrer`: under `no-referrer`
    browsers send `Origin: null` with a form's POST, which the CSRF check refuses."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _too_many(request, limited: throttle.Throttled) -> HttpResponse:
    response = render(request, "portal/refused.html", {"message": limited.message}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return _private(response)


def _refused(request) -> HttpResponse:
    """One answer for a tampered, expired, revoked or unknown link, and for a
    step that is not the contributor's: nothing to learn from it."""
    return _private(render(request, "portal/refused.html", status=404))


def _failures(request) -> tuple:
    """The throttle of bad links from the request's client address."""
    return (
        "portal-link-failure",
        throttle.client_ip(request),
        settings.PORTAL_FAILURES_PER_ADDRESS,
        settings.PORTAL_FAILURE_WINDOW,
    )


def through_link(view):
    """Resolve the link to its contributor, or refuse; count the request."""

    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        failures = _failures(request)
        blocked = throttle.check(*failures)
        if blocked:
            return _too_many(request, blocked)
        contributor = contributor_from_token(token)
        if contributor is None:
            throttle.hit(*failures)
            return _refused(request)
        limited = throttle.hit(
            "portal-link",
            str(contributor.id),
            settings.PORTAL_REQUESTS_PER_LINK,
            settings.PORTAL_REQUEST_WINDOW,
        )
        if limited:
            return _too_many(request, limited)
        return _private(view(request, contributor, token, *args, **kwargs))

    return wrapped


def _page(request, contributor, *, token=None, failed=None, notice="", status=200):
    """The portal page; `token` None is the team's preview (nothing can be sent)."""
    return render(
        request,
        "portal/portal.html",
        {
            "page": portal_page(contributor, as_of=today()),
            "engagement": contributor.engagement,
            "token": token,
            "preview": token is None,
            "failed": failed or {},
            "notice": notice,
            "downloads": DOWNLOADS,
            # PDF and Word through a link are never rendered on request (as on a share link).
            **documents.stored_documents_context(contributor.engagement, ("customer",)),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
@through_link
def portal(request, contributor, token):
    return _page(request, contributor, token=token, notice=NOTICES.get(request.GET.get("ok"), ""))


@require_POST
@through_link
def portal_action(request, contributor, token, item_id, action):
    if action not in ACTIONS:
        raise Http404("No such action.")
    item = services.owned_item(contributor, item_id)
    if item is None:
        return _refused(request)
    if action == "done":
        services.mark_done(contributor, item)
    else:
        form = MessageForm(request.POST, required=action == "comment")
        if form.is_valid():
            write = services.add_comment if action == "comment" else services.ask_for_help
            try:
                write(contributor, item, form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            failed = {"step": str(item.id), "action": action, "form": form}
            return _page(request, contributor, token=token, failed=failed, status=422)
    return redirect(reverse("portal", args=[token]) + f"?ok={action}#step-{item.id}")


@require_GET
@through_link
def portal_download(request, contributor, token, fmt):
    """The customer-facing playbook only; PDF and Word from the stored documents."""
    if fmt in documents.STORED_FORMATS:
        document = documents.ready_document(contributor.engagement, fmt, "customer")
        if document is None:
            return redirect(reverse("portal", args=[token]) + "#documents")
        return download_response(documents.stored_file(document))
    try:
        export = render_export(
            contributor.engagement,
            fmt,
            as_of=today(),
            table=request.GET.get("table") or "plan",
            version="customer",
        )
    except UnknownFormat:
        raise Http404("No such format.") from None
    return download_response(export)


@require_POST
@through_link
def portal_documents(request, contributor, token):
    """Have the worker make the customer-facing PDF or Word file (once, however often asked)."""
    try:
        documents.request_document(
            contributor.engagement, request.POST.get("fmt", ""), version="customer"
        )
    except documents.NotAStoredFormat:
        raise Http404("No such format.") from None
    return redirect(reverse("portal", args=[token]) + "?ok=prepare#documents")


@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, token):
    """GET asks, POST stops the emails; the link works even after access was revoked."""
    failures = _failures(request)
    blocked = throttle.check(*failures)
    if blocked:
        return _too_many(request, blocked)
    contributor = contributor_from_opt_out_token(token)
    if contributor is None:
        throttle.hit(*failures)
        return _refused(request)
    if request.method == "POST":
        services.opt_out_of_emails(contributor)
    return _private(
        render(
            request,
            "portal/opt_out.html",
            {"contributor": contributor, "engagement": contributor.engagement},
        )
    )


# --- The team's side --------------------------------------------------------


def _contributor_for_member(request, engagement_id, contributor_id, *, write: bool):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    if write:
        require_writer(membership)
    contributor = get_object_or_404(
        Contributor.objects.for_workspace(membership.workspace)
        .filter(engagement=engagement)
        .select_related("stakeholder"),
        id=contributor_id,
    )
    contributor.engagement = engagement
    return engagement, membership, contributor


def _back_to_stakeholder(engagement, stakeholder_id):
    return redirect(reverse("stakeholder", args=[engagement.id, stakeholder_id]) + "#contributor")


@login_required
@require_POST
def contributor_invite(request, engagement_id, stakeholder_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    stakeholder = get_object_or_404(engagement.stakeholders.all(), id=stakeholder_id)
    stakeholder.engagement = engagement
    try:
        contributor = services.invite_contributor(stakeholder, invited_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Invitation sent to {contributor.email}: their link works for "
            f"{settings.PORTAL_LINK_MAX_AGE_DAYS} days.",
        )
    return _back_to_stakeholder(engagement, stakeholder.id)


@login_required
@require_POST
def contributor_resend(request, engagement_id, contributor_id):
    engagement, _, contributor = _contributor_for_member(
        request, engagement_id, contributor_id, write=True
    )
    try:
        services.resend_invitation(contributor, sent_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new link is on its way to {contributor.email}.")
    return _back_to_stakeholder(engagement, contributor.stakeholder_id)


@login_required
@require_POST
def contributor_revoke(request, engagement_id, contributor_id):
    engagement, _, contributor = _contributor_for_member(
        request, engagement_id, contributor_id, write=True
    )
    services.revoke_contributor(contributor, revoked_by=request.user)
    messages.success(request, f"{contributor.name}'s links no longer work.")
    return _back_to_stakeholder(engagement, contributor.stakeholder_id)


@login_required
@require_GET
def contributor_preview(request, engagement_id, contributor_id):
    """What the contributor sees, with nothing to press."""
    _, _, contributor = _contributor_for_member(request, engagement_id, contributor_id, write=False)
    return _private(_page(request, contributor))


@login_required
@require_GET
def contributor_list(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    contributors = (
        Contributor.objects.for_workspace(membership.workspace)
        .filter(engagement=engagement)
        .select_related("stakeholder", "invited_by")
        .order_by("stakeholder__name")
    )
    return render(
        request,
        "portal/contributors.html",
        {"engagement": engagement, "membership": membership, "contributors": contributors},
    )
