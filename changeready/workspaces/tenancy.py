"""Tenancy in one place.

Every web view reaches workspace data through these helpers. An object outside
the signed-in user's workspaces is a 404, exactly like one that does not exist;
a write (any unsafe HTTP method) by a viewer is a 403; managing members and
tokens needs an owner or admin, the workspace's sign-in rules an owner. A
workspace that requires two-factor authentication sends a member without it to
set it up first (MfaRequired, turned into a redirect by
changeready.workspaces.middleware). The API authenticates differently (tokens) but
scopes through the same `for_workspace` querysets and role sets.
"""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest

from changeready.workspaces.mfa import uses_mfa
from changeready.workspaces.models import Membership, Role, Workspace

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LAST_WORKSPACE_SESSION_KEY = "last_workspace_slug"


VIEWER_REFUSAL = "Viewers can look but not change anything."


class MfaRequired(Exception):
    """The workspace asks for two-factor authentication and this member has none."""

    def __init__(self, workspace: Workspace):
        super().__init__(workspace.name)
        self.workspace = workspace


def check_access(membership: Membership, *, method: str, manage: bool = False) -> None:
    """Raise PermissionDenied unless the member may do this."""
    if manage and not membership.can_manage:
        raise PermissionDenied("Only owners and admins can do this.")
    if method not in SAFE_METHODS:
        require_writer(membership)


def require_writer(membership: Membership) -> None:
    """For pages that exist only to write (a form, a confirmation): a viewer's
    GET is refused too, rather than shown a form that cannot be saved."""
    if not membership.can_write:
        raise PermissionDenied(VIEWER_REFUSAL)


def require_owner(membership: Membership) -> None:
    if membership.role != Role.OWNER:
        raise PermissionDenied("Only owners can change how members sign in.")


def _bind(request: HttpRequest, membership: Membership, *, manage: bool) -> Membership:
    if membership.workspace.require_mfa and not uses_mfa(request.user):
        raise MfaRequired(membership.workspace)
    check_access(membership, method=request.method, manage=manage)
    # The layout shows the current workspace and role from here.
    request.membership = membership
    return membership


def get_workspace_for_member(
    request: HttpRequest, slug: str, *, manage: bool = False
) -> Membership:
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user=request.user, workspace__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404("No such workspace.")
    return _bind(request, membership, manage=manage)


def user_memberships(request: HttpRequest) -> list[Membership]:
    """Every membership of the signed-in user with its workspace, by workspace name.

    Read once a request: an engagement page finds its membership among them
    and the layout's workspace switcher lists them, so the page pays one
    query for both.
    """
    memberships = getattr(request, "_user_memberships", None)
    if memberships is None:
        memberships = list(
            Membership.objects.select_related("workspace")
            .filter(user=request.user)
            .order_by("workspace__name")
        )
        request._user_memberships = memberships
    return memberships


def get_engagement_for_member(request: HttpRequest, engagement_id):
    """The engagement and the user's membership of its workspace, or 404/403.

    The engagement is looked up among the workspaces of the user's
    memberships, through the workspaces' relation to it, so tenancy imports
    no app above the workspaces (docs/architecture.md)."""
    memberships = {m.workspace_id: m for m in user_memberships(request)}
    try:
        # get() rather than first(), which would order the one row by its key.
        engagement = _ENGAGEMENT_MODEL._default_manager.get(
            id=engagement_id, workspace_id__in=list(memberships)
        )
    except _ENGAGEMENT_MODEL.DoesNotExist:
        raise Http404("No such engagement.") from None
    membership = memberships[engagement.workspace_id]
    _bind(request, membership, manage=False)
    engagement.workspace = membership.workspace
    return engagement, membership


# The model of the workspace's engagements (the engagements app declares the relation).
_ENGAGEMENT_MODEL = cast("type[Model]", Workspace._meta.get_field("engagements").related_model)


def get_own_membership(request: HttpRequest, slug: str) -> Membership:
    """The signed-in user's membership, for their own preferences (e.g. the weekly digest).

    Any role may change their own preferences, viewers included: these are not
    workspace data. An outsider gets a 404 as everywhere else.
    """
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user=request.user, workspace__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404("No such workspace.")
    request.membership = membership
    return membership
