"""Web pages of the API app: API tokens in the workspace settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from changeready.api import tokens as token_service
from changeready.api.forms import TokenForm
from changeready.api.models import ApiToken
from changeready.common.forms import apply_validation_error
from changeready.workspaces.tenancy import get_workspace_for_member


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
