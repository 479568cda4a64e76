from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from changeready.assessment.services import today
from changeready.common.forms import save_through
from changeready.core.model import OWNER_ROLES
from changeready.handoff import documents, services
from changeready.handoff.checklist import handoff_checklist, open_before_sending
from changeready.handoff.exports import (
    EXPORT_FORMATS,
    UnknownFormat,
    download_response,
    render_export,
)
from changeready.handoff.forms import CsOwnerForm, ShareLinkForm
from changeready.handoff.models import PlaybookDocument, ShareLink
from changeready.handoff.playbook import build_playbook
from changeready.planning import presentation
from changeready.planning.views import is_htmx
from changeready.workspaces.models import Membership
from changeready.workspaces.tenancy import get_engagement_for_member, require_writer

# What the download buttons offer, in order; CSV comes as two tables.
DOWNLOADS = (
    ("pdf", "", "PDF"),
    ("docx", "", "Word"),
    ("md", "", "Markdown"),
    ("xlsx", "", "Excel"),
    ("csv", "plan", "CSV: plan"),
    ("csv", "stakeholders", "CSV: stakeholders"),
    ("csv", "commitments", "CSV: commitments"),
    ("csv", "log", "CSV: shared log"),
    ("ics", "", "Calendar"),
)
NOINDEX = "noindex, nofollow"


def _memberships(workspace):
    return (
        Membership.objects.for_workspace(workspace).select_related("user").order_by("user__email")
    )


def _cs_owner_form(engagement, memberships) -> CsOwnerForm:
    """The form as saved: a CS owner who is a member shows as that member."""
    email = engagement.cs_owner_email
    return CsOwnerForm(
        memberships=memberships,
        initial={
            "member": memberships.filter(user__email__iexact=email).first() if email else None,
            "name": engagement.cs_owner_name,
            "email": email,
            "version": engagement.version,
        },
    )


def _documents_context(engagement) -> dict:
    """A small engagement's PDF and Word render in the request: nothing stored to show.

    A large one's Handoff page offers both versions, internal and customer-facing.
    """
    if not documents.is_large(engagement):
        return {"stored_formats": ()}
    return documents.stored_documents_context(engagement, documents.VERSIONS)


def _handoff_page(request, engagement, membership, *, cs_form=None, link_form=None, status=200):
    playbook = build_playbook(engagement, as_of=today())
    links = ShareLink.objects.for_workspace(membership.workspace).filter(engagement=engagement)
    now = timezone.now()
    return render(
        request,
        "handoff/handoff.html",
        {
            "engagement": engagement,
            "membership": membership,
            "playbook": playbook,
            "checklist": handoff_checklist(playbook),
            "downloads": DOWNLOADS,
            "active_links": [
                (link, services.share_url(link))
                for link in links.active().select_related("created_by")
            ],
            "cs_form": cs_form or _cs_owner_form(engagement, _memberships(membership.workspace)),
            "link_form": link_form or ShareLinkForm(),
            "may_accept": services.may_accept(engagement, membership),
            "accepting_as_cs_owner": services.is_cs_owner(engagement, request.user),
            "accepted_on_behalf": engagement.handoff_accepted_by is not None
            and not services.is_cs_owner(engagement, engagement.handoff_accepted_by),
            "sent_link_expires_at": services.share_link_expiry(
                engagement, services.SHARE_LINK_DAYS, now
            ),
            "hypercare_end": services.hypercare_end(engagement),
            **_documents_context(engagement),
        },
        status=status,
    )


@login_required
@require_GET
def handoff_page(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    return _handoff_page(request, engagement, membership)


def _download(engagement, request, fmt, *, version=None):
    """A playbook file; the sender picks the version, a share link has its own."""
    try:
        export = render_export(
            engagement,
            fmt,
            as_of=today(),
            table=request.GET.get("table") or "plan",
            version=version or request.GET.get("version") or "internal",
        )
    except UnknownFormat:
        raise Http404("No such format.") from None
    return download_response(export)


@login_required
@require_GET
def handoff_download(request, engagement_id, fmt):
    engagement, _ = get_engagement_for_member(request, engagement_id)
    version = request.GET.get("version") or "internal"
    stored = fmt in documents.STORED_FORMATS and version in documents.VERSIONS
    if stored and documents.is_large(engagement):
        document = documents.ready_document(engagement, fmt, version)
        if document is None:
            messages.info(
                request,
                f"This playbook is large: prepare the {EXPORT_FORMATS[fmt].label} file below, "
                "then download it.",
            )
            return redirect(reverse("handoff", args=[engagement.id]) + "#documents")
        return download_response(documents.stored_file(document))
    return _download(engagement, request, fmt)


@login_required
@require_http_methods(["GET", "POST"])
def handoff_documents(request, engagement_id):
    """POST queues a document; GET is the progress panel that htmx polls."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    if request.method == "POST":
        try:
            documents.request_document(
                engagement,
                request.POST.get("fmt", ""),
                version=request.POST.get("version") or "internal",
                requested_by=request.user,
            )
        except documents.NotAStoredFormat:
            messages.error(request, "Choose PDF or Word, internal or customer-facing.")
        if not is_htmx(request):
            return redirect(reverse("handoff", args=[engagement.id]) + "#documents")
    return render(
        request,
        "handoff/_documents.html",
        {"engagement": engagement, "membership": membership, **_documents_context(engagement)},
    )


@login_required
@require_GET
def handoff_document_download(request, engagement_id, document_id):
    engagement, _ = get_engagement_for_member(request, engagement_id)
    document = get_object_or_404(
        PlaybookDocument.objects.unexpired(),
        id=document_id,
        engagement=engagement,
        status=PlaybookDocument.Status.READY,
    )
    return download_response(documents.stored_file(document))


@login_required
@require_POST
def cs_owner(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    form = CsOwnerForm(request.POST, memberships=_memberships(membership.workspace))
    # The review before sending names the CS owner too, and stays on its page.
    from_review = request.POST.get("next") == "review"
    if form.is_valid():
        saved = save_through(
            form,
            lambda: services.set_cs_owner(
                engagement,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved:
            messages.success(request, "Customer Success owner saved.")
            if from_review:
                return redirect(reverse("handoff_review", args=[engagement.id]) + "#owners")
            return redirect("handoff", engagement.id)
    if from_review:
        return _review_page(request, engagement, membership, cs_form=form, status=422)
    return _handoff_page(request, engagement, membership, cs_form=form, status=422)


# --- review the plan, then send: one page ---------------------------------------------

# Where each open checklist item is fixed, seen from the review page.
_FIXES = {
    "cs_owner": ("#cs-owner", "Name the CS owner above"),
    "owners": ("#owners", "Name the owners above"),
    "critical_findings": ("assessment", "Open the findings in the assessment"),
    "adoption_targets": ("adoption", "Set the adoption targets"),
}


def _fix(engagement, key: str):
    target, text = _FIXES.get(key, ("", ""))
    if not target:
        return None
    url = target if target.startswith("#") else reverse(target, args=[engagement.id])
    return url, text


def _review_page(
    request, engagement, membership, *, cs_form=None, typed=None, ticked=None, status=200
):
    playbook = build_playbook(engagement, as_of=today())
    checklist = handoff_checklist(playbook)
    still_open = open_before_sending(checklist)
    groups = services.ownerless_groups(engagement)
    typed = typed or {}
    return render(
        request,
        "handoff/review.html",
        {
            "engagement": engagement,
            "membership": membership,
            "has_items": engagement.plan_items.exists(),
            "checklist": [(item, _fix(engagement, item.key)) for item in checklist],
            "still_open": still_open,
            "cs_form": cs_form or _cs_owner_form(engagement, _memberships(membership.workspace)),
            "owner_groups": [
                (group, typed.get(group.owner_role, group.suggestion)) for group in groups
            ],
            "ticked": ticked,
            "owners": sorted(
                {group.suggestion for group in groups if group.suggestion}
                | set(presentation.named_owners(engagement)),
                key=str.lower,
            ),
            "may_send": bool(engagement.cs_owner_email) and not still_open,
            "sent_link_expires_at": services.share_link_expiry(
                engagement, services.SHARE_LINK_DAYS, timezone.now()
            ),
        },
        status=status,
    )


@login_required
@require_GET
def handoff_review(request, engagement_id):
    """Review the plan and send the handoff: owners, CS owner, checklist, send."""
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    return _review_page(request, engagement, membership)


@login_required
@require_POST
def review_owners(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    owners = {role: request.POST.get(f"owner_{role}", "") for role in OWNER_ROLES}
    ticked = request.POST.getlist("items")
    try:
        changed = services.name_owners(engagement, ticked, owners, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _review_page(
            request, engagement, membership, typed=owners, ticked=set(ticked), status=422
        )
    messages.success(request, f"Owner named for {changed} item{'s' * (changed != 1)}.")
    return redirect(reverse("handoff_review", args=[engagement.id]) + "#checklist")


@login_required
@require_POST
def send_handoff(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        return _handoff_page(request, engagement, membership, link_form=form, status=422)
    days = form.cleaned_data["days"]
    try:
        link = services.send_handoff(
            engagement,
            sent_by=request.user,
            days=days,
            confirmed_open=request.POST.get("confirm_open") == "yes",
        )
    except services.OpenChecklistItems as still_open:
        return render(
            request,
            "handoff/send_confirm.html",
            {
                "engagement": engagement,
                "membership": membership,
                "open_items": still_open.items,
                "days": days,
            },
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Handoff sent to {engagement.cs_owner_email}; the link works until "
            f"{link.expires_at:%-d %B %Y}.",
        )
    return redirect("handoff", engagement.id)


@login_required
@require_POST
def accept_handoff(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    try:
        services.accept_handoff(engagement, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Handoff accepted: Customer Success owns the activation now.")
    return redirect("handoff", engagement.id)


@login_required
@require_http_methods(["GET", "POST"])
def undo_acceptance(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    if engagement.handoff_accepted_at is None:
        return redirect("handoff", engagement.id)
    if request.method == "POST":
        services.undo_handoff_acceptance(engagement)
        messages.success(request, "Acceptance undone: the handoff is open again.")
        return redirect("handoff", engagement.id)
    return render(
        request,
        "handoff/undo_acceptance.html",
        {"engagement": engagement, "membership": membership},
    )


@login_required
@require_POST
def create_link(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        return _handoff_page(request, engagement, membership, link_form=form, status=422)
    link = services.create_share_link(
        engagement,
        created_by=request.user,
        days=form.cleaned_data["days"],
        version=form.cleaned_data["version"] or "internal",
    )
    messages.success(
        request, f"Read-only link created; it works until {link.expires_at:%-d %B %Y}."
    )
    return redirect("handoff", engagement.id)


@login_required
@require_POST
def revoke_link(request, engagement_id, link_id):
    engagement, _ = get_engagement_for_member(request, engagement_id)
    link = get_object_or_404(ShareLink, id=link_id, engagement=engagement)
    services.revoke_share_link(link)
    messages.success(request, "Link revoked: it no longer opens the playbook.")
    return redirect("handoff", engagement.id)


# --- the read-only share link (no account) -------------------------------------------


def _shared_link(token):
    link = services.share_link_from_token(token)
    if link is None:
        raise Http404("This link does not work: it expired, was revoked or is mistyped.")
    return link


def _noindex(response):
    response["X-Robots-Tag"] = NOINDEX
    # A revoked link must stop working at once, so no cache keeps a copy.
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def share_page(request, token):
    link = _shared_link(token)
    playbook = build_playbook(link.engagement, as_of=today(), version=link.version)
    response = render(
        request,
        "handoff/share.html",
        {
            "playbook": playbook,
            "token": token,
            "downloads": DOWNLOADS,
            "expires_at": link.expires_at,
            "now": timezone.now(),
            # A share link never renders PDF or Word on request, whatever the size.
            **documents.stored_documents_context(link.engagement, (link.version,)),
        },
    )
    return _noindex(response)


@require_GET
def share_download(request, token, fmt):
    """PDF and Word come from the link's version of the stored documents only: never rendered."""
    link = _shared_link(token)
    if fmt in documents.STORED_FORMATS:
        document = documents.ready_document(link.engagement, fmt, link.version)
        if document is None:
            return _noindex(redirect(reverse("share", args=[token]) + "#documents"))
        return _noindex(download_response(documents.stored_file(document)))
    return _noindex(_download(link.engagement, request, fmt, version=link.version))


@require_POST
def share_documents(request, token):
    link = _shared_link(token)
    try:
        documents.request_document(
            link.engagement, request.POST.get("fmt", ""), version=link.version
        )
    except documents.NotAStoredFormat:
        raise Http404("No such format.") from None
    return _noindex(redirect(reverse("share", args=[token]) + "#documents"))
