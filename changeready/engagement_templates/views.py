from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from changeready.common.forms import apply_validation_error, save_through
from changeready.engagement_templates import services
from changeready.engagement_templates.content import summarize
from changeready.engagement_templates.forms import FromTemplateForm, SaveAsTemplateForm
from changeready.workspaces.tenancy import (
    get_engagement_for_member,
    get_workspace_for_member,
    require_writer,
)


def _template_or_404(workspace, template_id):
    template = services.get_template(workspace, template_id)
    if template is None:
        raise Http404("No such template.")
    return template


@login_required
@require_GET
def template_list(request, slug):
    """ "New engagement": blank, or from a template; the workspace's own can be deleted."""
    membership = get_workspace_for_member(request, slug)
    templates = services.list_templates(membership.workspace)
    return render(
        request,
        "engagement_templates/template_list.html",
        {
            "workspace": membership.workspace,
            "membership": membership,
            "templates": [(t, summarize(t.content)) for t in templates],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_from_template(request, slug, template_id):
    membership = get_workspace_for_member(request, slug)
    require_writer(membership)
    template = _template_or_404(membership.workspace, template_id)
    user = request.user
    form = FromTemplateForm(
        request.POST or None,
        initial={"delivery_lead_name": user.display_name, "delivery_lead_email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.create_engagement_from_template(
                membership.workspace, template, actor=user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"Engagement “{engagement.name}” created from “{template.name}”: "
                "make the landscape this customer's.",
            )
            return redirect("landscape", engagement.id)
    return render(
        request,
        "engagement_templates/from_template.html",
        {
            "workspace": membership.workspace,
            "template": template,
            "summary": summarize(template.content),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_delete(request, slug, template_id):
    membership = get_workspace_for_member(request, slug)
    require_writer(membership)
    template = _template_or_404(membership.workspace, template_id)
    if template.built_in:
        raise Http404("Built-in templates cannot be deleted.")
    if request.method == "POST":
        services.delete_template(template, actor=request.user)
        messages.success(request, f"Template “{template.name}” deleted.")
        return redirect("engagement_templates", membership.workspace.slug)
    return render(
        request,
        "engagement_templates/template_confirm_delete.html",
        {"workspace": membership.workspace, "template": template},
    )


@login_required
@require_http_methods(["GET", "POST"])
def save_as_template(request, engagement_id):
    engagement, membership = get_engagement_for_member(request, engagement_id)
    require_writer(membership)
    form = SaveAsTemplateForm(request.POST or None, initial={"name": engagement.name})
    if request.method == "POST" and form.is_valid():
        saved = save_through(
            form,
            lambda: services.save_as_template(engagement, actor=request.user, **form.cleaned_data),
        )
        if saved:
            messages.success(
                request,
                f"Template “{form.cleaned_data['name']}” saved, without the customer's people.",
            )
            return redirect("engagement_templates", membership.workspace.slug)
    return render(
        request,
        "engagement_templates/save_as_template.html",
        {
            "engagement": engagement,
            "membership": membership,
            "form": form,
            "summary": summarize(services.template_content_of(engagement)),
        },
    )
