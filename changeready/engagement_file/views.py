"""The engagement file's pages: upload (import) and download (export)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from changeready.engagement_file.formats import export_format, export_response
from changeready.engagement_file.forms import EngagementFileForm
from changeready.engagement_file.importing import (
    EngagementFileInvalid,
    format_path,
    import_engagement,
    parse,
)
from changeready.workspaces.tenancy import (
    get_engagement_for_member,
    get_workspace_for_member,
    require_writer,
)


def _import_page(request, membership, form, errors, message, status=422):
    return render(
        request,
        "engagement_file/engagement_import.html",
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
    require_writer(membership)
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
