"""Writes of the handoff: share links, sending the handoff, accepting it, the CS owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from changeready.activity.services import record_activity
from changeready.assessment.services import today
from changeready.common.concurrency import save_versioned
from changeready.common.mail import send_email_after_commit
from changeready.core.model import OWNER_ROLES
from changeready.engagements.models import Engagement
from changeready.engagements.services import engagement_changed, update_engagement
from changeready.handoff.checklist import ChecklistItem, handoff_checklist, open_before_sending
from changeready.handoff.models import ShareLink
from changeready.handoff.playbook import VERSIONS, build_playbook, label
from changeready.integrations import events
from changeready.planning.item_edits import assign_owner

SHARE_SALT = "changeready.handoff.share"
SHARE_LINK_DAYS = 30
SHARE_LINK_DAY_CHOICES = (7, 14, 30, 60, 90)
# Customer Success works from the playbook through hypercare, which ends by
# default 12 weeks after go-live: no share link stops working before then.
HYPERCARE_WEEKS = 12


def share_token(link: ShareLink) -> str:
    return signing.dumps(str(link.id), salt=SHARE_SALT)


def share_url(link: ShareLink) -> str:
    return settings.SITE_URL + reverse("share", args=[share_token(link)])


def share_link_from_token(token: str, now=None) -> ShareLink | None:
    """The active link a token stands for, or None if it is bad, expired or revoked.

    Expiry lives on the row (each link has its own), not in the signature.
    """
    try:
        link_id = signing.loads(token, salt=SHARE_SALT)
    except signing.BadSignature:
        return None
    try:
        return (
            ShareLink.objects.active(now)
            .select_related("engagement__workspace", "engagement__handoff_accepted_by")
            .filter(id=link_id)
            .first()
        )
    except ValidationError:  # a signed value that is not a UUID
        return None


def hypercare_end(engagement: Engagement) -> date:
    return engagement.go_live_date + timedelta(weeks=HYPERCARE_WEEKS)


def share_link_expiry(engagement: Engagement, days: int, now: datetime) -> datetime:
    """`days` from now, but never before the end of hypercare's last day."""
    end_of_hypercare = datetime.combine(
        hypercare_end(engagement), time.max, timezone.get_current_timezone()
    )
    return max(now + timedelta(days=days), end_of_hypercare)


def create_share_link(
    engagement: Engagement,
    *,
    created_by,
    days: int = SHARE_LINK_DAYS,
    sent_to: str = "",
    version: str = "internal",
) -> ShareLink:
    if days not in SHARE_LINK_DAY_CHOICES:
        raise ValidationError({"days": "Choose how long the link works from the list."})
    if version not in VERSIONS:
        raise ValidationError({"version": "Choose who the link is for from the list."})
    return ShareLink.objects.create(
        engagement=engagement,
        created_by=created_by,
        expires_at=share_link_expiry(engagement, days, timezone.now()),
        sent_to=sent_to,
        version=version,
    )


def revoke_share_link(link: ShareLink) -> None:
    ShareLink.objects.filter(id=link.id, revoked_at__isnull=True).update(revoked_at=timezone.now())


class OpenChecklistItems(Exception):
    """Sending was not confirmed although these checklist items are still open."""

    def __init__(self, items: list[ChecklistItem]):
        self.items = items
        super().__init__(", ".join(item.label for item in items))


def open_checklist_items(engagement: Engagement) -> list[ChecklistItem]:
    return open_before_sending(handoff_checklist(build_playbook(engagement, as_of=today())))


@transaction.atomic
def send_handoff(
    engagement: Engagement,
    *,
    sent_by,
    days: int = SHARE_LINK_DAYS,
    confirmed_open: bool = False,
) -> ShareLink:
    """Email the CS owner a new read-only link to the playbook (after the commit).

    With checklist items still open, only once the sender confirms
    (`confirmed_open`); the history records what was open."""
    if not engagement.cs_owner_email:
        raise ValidationError("Name the Customer Success owner and their email first.")
    still_open = open_checklist_items(engagement)
    if still_open and not confirmed_open:
        raise OpenChecklistItems(still_open)
    link = create_share_link(
        engagement, created_by=sent_by, days=days, sent_to=engagement.cs_owner_email
    )
    detail = f"to {engagement.cs_owner_email}"
    if still_open:
        detail += ", with open: " + "; ".join(item.label for item in still_open)
    record_activity(
        engagement,
        actor=sent_by,
        verb="sent",
        obj_type="handoff",
        obj_id=link.id,
        label=engagement.name,
        detail=detail,
    )
    context = {
        "engagement": engagement,
        "sent_by": sent_by,
        "link": share_url(link),
        "expires_at": link.expires_at,
        "app_link": settings.SITE_URL + reverse("handoff", args=[engagement.id]),
    }
    recipient = engagement.cs_owner_email
    send_email_after_commit(
        subject=f"Handoff: {engagement.customer} · {engagement.name} activation playbook",
        message=render_to_string("handoff/email/handoff.txt", context),
        to=recipient,
    )
    events.publish(engagement, events.EventType.HANDOFF_SENT, sent_to=recipient)
    return link


def cs_owner_label(engagement: Engagement) -> str:
    name, email = engagement.cs_owner_name, engagement.cs_owner_email
    return f"{name} ({email})" if name else email


def is_cs_owner(engagement: Engagement, user) -> bool:
    email = engagement.cs_owner_email
    return bool(email) and user.email.lower() == email.lower()


def may_accept(engagement: Engagement, membership) -> bool:
    """The named CS owner accepts; a workspace owner or admin may, on their behalf."""
    if not engagement.cs_owner_email or not membership.can_write:
        return False
    return is_cs_owner(engagement, membership.user) or membership.can_manage


@transaction.atomic
def accept_handoff(engagement: Engagement, *, membership) -> Engagement:
    """Record that CS accepted the handoff: who, when, and on whose behalf when
    someone else did. Accepting twice is refused."""
    if not may_accept(engagement, membership):
        raise PermissionDenied(
            "Only the named Customer Success owner, or a workspace owner or admin on "
            "their behalf, can accept the handoff."
        )
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.handoff_accepted_at is not None:
        raise ValidationError("The handoff has already been accepted.")
    user = membership.user
    events.publish(locked, events.EventType.HANDOFF_ACCEPTED, accepted_by=user.display_name)
    locked.handoff_accepted_at = timezone.now()
    locked.handoff_accepted_by = user
    save_versioned(locked, locked.version)
    engagement_changed(locked)
    record_activity(
        locked,
        actor=user,
        verb="accepted",
        obj_type="handoff",
        obj_id=locked.id,
        label=locked.name,
        detail="as the Customer Success owner"
        if is_cs_owner(locked, user)
        else f"on behalf of {cs_owner_label(locked)}",
    )
    return locked


@transaction.atomic
def undo_handoff_acceptance(engagement: Engagement) -> Engagement:
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    return update_engagement(
        locked,
        expected_version=locked.version,
        handoff_accepted_at=None,
        handoff_accepted_by=None,
    )


def set_cs_owner(
    engagement: Engagement, *, name: str, email: str, expected_version: int | None
) -> Engagement:
    return update_engagement(
        engagement,
        expected_version=expected_version,
        cs_owner_name=name.strip(),
        cs_owner_email=email.strip().lower(),
    )


# --- the review before sending: owners ------------------------------------------


@dataclass(frozen=True)
class OwnerlessGroup:
    """The planned items of one owner role that nobody owns, and who could."""

    owner_role: str
    suggestion: str
    items: tuple


def _suggested_owners(engagement: Engagement) -> dict[str, str]:
    """Who usually owns each role's items: the people the engagement names."""
    people = list(
        engagement.stakeholders.filter(kind="person").order_by("created_at", "name", "id")
    )

    def first(test) -> str:
        return next((person.name for person in people if test(person)), "")

    return {
        "delivery": engagement.delivery_lead_name,
        "customer_success": engagement.cs_owner_name,
        "sponsor": first(lambda p: p.role == "executive_sponsor"),
        "customer_manager": first(lambda p: p.role == "people_manager"),
        "customer_admin": first(lambda p: p.role == "product_admin"),
        "champion": first(lambda p: p.is_champion),
    }


def ownerless_groups(engagement: Engagement) -> list[OwnerlessGroup]:
    """Planned items without a named owner, by owner role, each with a suggested owner."""
    items = engagement.plan_items.filter(owner="", status="planned").order_by(
        "week", "created_at", "id"
    )
    suggestions = _suggested_owners(engagement)
    by_role: dict[str, list] = {}
    for item in items:
        by_role.setdefault(item.owner_role, []).append(item)
    return [
        OwnerlessGroup(role, suggestions.get(role, ""), tuple(by_role[role]))
        for role in OWNER_ROLES
        if role in by_role
    ]


@transaction.atomic
def name_owners(engagement: Engagement, item_ids, owners: dict[str, str], *, actor=None) -> int:
    """Name an owner for the ticked items of each role at once; returns how many changed.

    `owners` maps an owner role to the name given for its items. Every ticked
    item needs a name for its role; ids of another engagement are refused.
    """
    ids = {str(item_id) for item_id in item_ids}
    if not ids:
        raise ValidationError("Tick at least one item to give it an owner.")
    try:
        roles = dict(engagement.plan_items.filter(id__in=ids).values_list("id", "owner_role"))
    except ValidationError:
        roles = {}
    if len(roles) != len(ids):
        raise ValidationError("Every ticked item must belong to this plan.")
    by_role: dict[str, list] = {}
    for item_id, role in roles.items():
        by_role.setdefault(role, []).append(item_id)
    missing = [role for role in by_role if not (owners.get(role) or "").strip()]
    if missing:
        raise ValidationError(
            "Name an owner for the ticked items of: "
            + ", ".join(label(role).lower() for role in missing)
            + "."
        )
    return sum(
        assign_owner(engagement, role_ids, owners[role], actor=actor)
        for role, role_ids in by_role.items()
    )
