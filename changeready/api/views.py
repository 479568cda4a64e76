"""Web pages of the API app: API tokens in the workspace settings, and the
engagement file's upload (import) and download (export)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from changeready.api import tokens as token_service
from changeready.api.forms import EngagementFileForm, TokenForm
from changeready.api.models import ApiToken
from changeready.common.forms import apply_validation_error
from changeready.engagement_file.formats import export_format, export_response
from changeready.engagement_file.importing import (
    EngagementFileInvalid,
    format_path,
    import_engagement,
    parse,
)
from changeready.workspaces.tenancy import get_engagement_for_member, get_workspace_for_member


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request, slug):
    membership = get_workspace_for_member(request, slug, manage=True)
    workspace = membership.workspace
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = token_service.issue_token(
                membership=membership, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            response = render(
                request,
                "api/token_created.html",
                {"workspace": workspace, "token": issued.token, "secret": issued.secret},
            )
            # The secret is shown once: no cache may keep the page.
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "api/tokens.html",
        {
            "workspace": workspace,
            "membership": membership,
            "form": form,
            "tokens": ApiToken.objects.for_workspace(workspace).select_related("user"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, slug, token_id):
    membership = get_workspace_for_member(request, slug, manage=True)
    token = get_object_or_404(
        ApiToken.objects.for_workspace(membership.workspace).active(), id=token_id
    )
    if request.method == "POST":
        token_service.revoke_token(token)
        messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
        return redirect("api_tokens", slug)
    return render(
        request,
        "api/token_confirm_revoke.html",
        {"workspace": membership.workspace, "token": token},
    )


def _import_page(request, membership, form, errors, message, status=422):
    return render(
        request,
        "api/engagement_import.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "form": form,
            "errors": [{"where": format_path(e["path"]), **e} for e in errors],
            "message": message,
            "max_bytes": settings.ENGAGEMENT_FILE_MAX_BYTES,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_import(request, slug):
    membership = get_workspace_for_member(request, slug)
    form = EngagementFileForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return _import_page(request, membership, form, [], "", status=200)
    if not form.is_valid():
        return _import_page(request, membership, form, [], "Choose a file to import.")
    upload = form.cleaned_data["file"]
    limit = settings.ENGAGEMENT_FILE_MAX_BYTES
    if upload.size > limit:
        message = f"The file is larger than the limit of {limit // 1024} KiB."
        return _import_page(request, membership, form, [], message, status=413)
    try:
        engagement = import_engagement(
            membership.workspace, parse(upload.read()), actor=request.user
        )
    except EngagementFileInvalid as error:
        message = f"{error.message} Nothing was imported."
        return _import_page(request, membership, form, error.errors, message)
    messages.success(request, f"Imported “{engagement.name}”.")
    return redirect("engagement", engagement.id)


@login_required
@require_http_methods(["GET"])
def engagement_export(request, engagement_id):
    engagement, _membership = get_engagement_for_member(request, engagement_id)
    return export_response(engagement, export_format("json"))
