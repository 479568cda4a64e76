from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from changeready.common.forms import apply_validation_error, save_through
from changeready.engagements import services
from changeready.engagements.forms import EngagementForm
from changeready.workspaces.tenancy import (
    get_engagement_for_member,
    get_workspace_for_member,
    require_writer,
)

FORM_FIELDS = EngagementForm.Meta.fields


@login_required
@require_http_methods(["GET", "POST"])
def engagement_create(request, slug):
    membership = get_workspace_for_member(request, slug)
    require_writer(membership)
    form = EngagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in FORM_FIELDS}
        try:
            engagement = services.create_engagement(
                workspace=membership.workspace, actor=request.user, **fields
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Engagement “{engagement.name}” created.")
            return redirect("engagement", engagement.id)
    return render(
        request,
        "engagements/engagement_form.html",
        {"form": form, "workspace": membership.workspace},
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_edit(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    form = EngagementForm(request.POST or None, instance=engagement)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in FORM_FIELDS}
        saved = save_through(
            form,
            lambda: services.update_engagement(
                engagement,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                **changes,
            ),
        )
        if saved:
            messages.success(request, "Engagement saved.")
            return redirect("engagement", engagement.id)
    return render(
        request,
        "engagements/engagement_form.html",
        {"form": form, "engagement": engagement, "workspace": membership.workspace},
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_delete(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    if request.method == "POST":
        name = engagement.name
        services.delete_engagement(engagement, actor=request.user)
        messages.success(request, f"Engagement “{name}” deleted.")
        return redirect("workspace", membership.workspace.slug)
    return render(request, "engagements/engagement_confirm_delete.html", {"engagement": engagement})
