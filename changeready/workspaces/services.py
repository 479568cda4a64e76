"""Writes for workspaces, memberships and invitations."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.text import slugify

from changeready.common.mail import send_email_after_commit
from changeready.workspaces.mfa import uses_mfa
from changeready.workspaces.models import Invitation, Membership, Role, Workspace

INVITATION_SALT = "changeready.invitation"


class SlugTaken(ValidationError):
    pass


SLUG_ATTEMPTS = 5


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, suffix = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


@transaction.atomic
def create_workspace(*, name: str, owner, slug: str | None = None) -> Workspace:
    """Create a workspace with `owner` as its first owner.

    With an explicit slug, a taken slug is an error (scripts rely on the slug
    they asked for); without one, a free slug is derived from the name.
    """
    if slug is not None:
        workspace = _save_workspace(name, slug)
        if workspace is None:
            raise SlugTaken(f"The workspace slug {slug!r} is already taken.")
    else:
        # Two workspaces of one name created at once both see the same slug
        # free; the one that commits second derives the next free slug.
        workspace = None
        for _ in range(SLUG_ATTEMPTS):
            workspace = _save_workspace(name, unique_slug(name))
            if workspace is not None:
                break
        if workspace is None:
            raise SlugTaken(f"No free address for a workspace named {name!r}; try again.")
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def _save_workspace(name: str, slug: str) -> Workspace | None:
    """The new workspace, or None when another one took `slug` in the meantime."""
    workspace = Workspace(name=name, slug=slug)
    workspace.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            workspace.save()
    except IntegrityError:
        return None
    return workspace


def set_require_mfa(workspace: Workspace, *, required: bool, by) -> None:
    """Turn "members must use two-factor authentication" on or off. Whoever turns
    it on must use it already, or the setting would lock them out at once."""
    if required and not uses_mfa(by):
        raise ValidationError(
            "Set up two-factor authentication for yourself first: this setting applies to you too."
        )
    workspace.require_mfa = required
    workspace.save(update_fields=["require_mfa"])


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.id), salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation a token stands for, or None if it is bad,
    expired, revoked or already used."""
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        invitation_id = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Invitation.objects.pending().select_related("workspace").filter(id=invitation_id).first()


def invitation_for_next_url(next_url: str | None) -> Invitation | None:
    """The pending invitation that a sign-up's `next` (`/invitations/<token>/`) points at."""
    if not next_url:
        return None
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    if match.url_name != "invitation":
        return None
    return invitation_from_token(match.kwargs["token"])


@transaction.atomic
def invite_member(*, workspace: Workspace, email: str, role: str, invited_by) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of this workspace."})
    # A new invitation replaces any pending one, so the newest link is the one that works.
    Invitation.objects.for_workspace(workspace).pending().filter(email__iexact=email).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        workspace=workspace, email=email, role=role, invited_by=invited_by
    )
    link = settings.SITE_URL + reverse("invitation", args=[invitation_token(invitation)])
    context = {
        "invitation": invitation,
        "link": link,
        "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    send_email_after_commit(
        subject=f"{invited_by.display_name} invited you to {workspace.name} on changeready",
        message=render_to_string("workspaces/email/invitation.txt", context),
        to=email,
    )
    return invitation


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(id=invitation.id, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def accept_invitation(invitation: Invitation, user) -> Membership:
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"This invitation was sent to {invitation.email}; you are signed in as {user.email}."
        )
    locked = Invitation.objects.select_for_update().get(id=invitation.id)
    if not locked.is_pending:
        raise ValidationError("This invitation has already been used or was revoked.")
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    membership, _ = Membership.objects.get_or_create(
        workspace=locked.workspace, user=user, defaults={"role": locked.role}
    )
    return membership


def _owners_locked(workspace: Workspace):
    # Lock the owner rows so two concurrent demotions cannot both see "another
    # owner remains" and leave the workspace without one.
    return list(
        Membership.objects.select_for_update()
        .filter(workspace=workspace, role=Role.OWNER)
        .values_list("id", flat=True)
    )


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, admin, member or viewer."})
    owners = _owners_locked(membership.workspace)
    if membership.role == Role.OWNER and role != Role.OWNER and owners == [membership.id]:
        raise ValidationError(
            "A workspace needs at least one owner. Make someone else owner first."
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


LAST_OWNER_STAYS = "The last owner cannot be removed. Make someone else owner first."


def last_owner_id(memberships) -> object | None:
    """The id of the workspace's only owner among its `memberships`, or None when
    there are several: that one cannot be removed or demoted."""
    owners = [m.id for m in memberships if m.role == Role.OWNER]
    return owners[0] if len(owners) == 1 else None


@transaction.atomic
def remove_member(membership: Membership) -> None:
    owners = _owners_locked(membership.workspace)
    if membership.role == Role.OWNER and owners == [membership.id]:
        raise ValidationError(LAST_OWNER_STAYS)
    membership.delete()
