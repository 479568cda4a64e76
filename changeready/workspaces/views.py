from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from changeready.common.forms import apply_validation_error
from changeready.workspaces import services
from changeready.workspaces.forms import InvitationForm, RoleForm, SignInRulesForm, WorkspaceForm
from changeready.workspaces.mfa import uses_mfa_of
from changeready.workspaces.models import Invitation, Membership
from changeready.workspaces.tenancy import (
    LAST_WORKSPACE_SESSION_KEY,
    get_workspace_for_member,
    require_owner,
)


def home(request):
    """Landing page for visitors; signed-in people go to their workspace."""
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    memberships = Membership.objects.filter(user=request.user).select_related("workspace")
    last_slug = request.session.get(LAST_WORKSPACE_SESSION_KEY)
    chosen = next((m for m in memberships if m.workspace.slug == last_slug), None)
    chosen = chosen or memberships.order_by("created_at").first()
    if chosen is None:
        return redirect("workspace_create")
    return redirect("workspace", chosen.workspace.slug)


@login_required
@require_http_methods(["GET", "POST"])
def workspace_create(request):
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = services.create_workspace(name=form.cleaned_data["name"], owner=request.user)
        messages.success(request, f"Workspace “{workspace.name}” created.")
        return redirect("workspace", workspace.slug)
    return render(request, "workspaces/workspace_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def members(request, slug):
    membership = get_workspace_for_member(request, slug, manage=request.method == "POST")
    workspace = membership.workspace
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_member(
                workspace=workspace,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("members", slug)
    members = list(
        Membership.objects.for_workspace(workspace)
        .select_related("user")
        .annotate(uses_mfa=uses_mfa_of("user"))
    )
    return render(
        request,
        "workspaces/members.html",
        {
            "workspace": workspace,
            "membership": membership,
            "form": form,
            "members": members,
            "last_owner_id": services.last_owner_id(members),
            "sign_in_form": SignInRulesForm(initial={"require_mfa": workspace.require_mfa}),
            "invitations": Invitation.objects.for_workspace(workspace).pending(),
            "role_form": RoleForm(),
        },
    )


@login_required
@require_POST
def sign_in_rules(request, slug):
    membership = get_workspace_for_member(request, slug, manage=True)
    require_owner(membership)
    form = SignInRulesForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    try:
        services.set_require_mfa(
            membership.workspace, required=form.cleaned_data["require_mfa"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Sign-in rules saved.")
    return redirect("members", slug)


@login_required
@require_POST
def member_role(request, slug, membership_id):
    membership = get_workspace_for_member(request, slug, manage=True)
    target = get_object_or_404(
        Membership.objects.for_workspace(membership.workspace), id=membership_id
    )
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(target, form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{target.user.display_name} is now {target.get_role_display().lower()}."
            )
    else:
        messages.error(request, "Choose a valid role.")
    return redirect("members", slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, slug, membership_id):
    membership = get_workspace_for_member(request, slug, manage=True)
    target = get_object_or_404(
        Membership.objects.for_workspace(membership.workspace), id=membership_id
    )
    if request.method == "GET":
        workspace_members = Membership.objects.for_workspace(membership.workspace)
        if services.last_owner_id(workspace_members.only("id", "role")) == target.id:
            messages.error(request, services.LAST_OWNER_STAYS)
            return redirect("members", slug)
    if request.method == "POST":
        try:
            services.remove_member(target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{target.user.display_name} was removed from the workspace.")
        return redirect("members", slug)
    return render(
        request,
        "workspaces/member_confirm_remove.html",
        {"workspace": membership.workspace, "target": target},
    )


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    membership = get_workspace_for_member(request, slug, manage=True)
    invitation = get_object_or_404(
        Invitation.objects.for_workspace(membership.workspace).pending(), id=invitation_id
    )
    services.revoke_invitation(invitation)
    messages.success(request, f"Invitation for {invitation.email} revoked.")
    return redirect("members", slug)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """GET shows the invitation; only POST accepts it (mail scanners open links)."""
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "workspaces/invitation_invalid.html", status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        try:
            membership = services.accept_invitation(invitation, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Welcome to {membership.workspace.name}.")
            return redirect("workspace", membership.workspace.slug)
    return render(
        request,
        "workspaces/invitation.html",
        {"invitation": invitation, "next": request.path},
    )
