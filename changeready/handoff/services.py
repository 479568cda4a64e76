"""Writes of the handoff: share links, sending the handoff, accepting it, the CS owner."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from changeready.engagements.models import Engagement
from changeready.engagements.services import update_engagement
from changeready.handoff.models import ShareLink
from changeready.integrations import events

SHARE_SALT = "changeready.handoff.share"
SHARE_LINK_DAYS = 30
SHARE_LINK_DAY_CHOICES = (7, 14, 30, 60, 90)


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


def create_share_link(
    engagement: Engagement, *, created_by, days: int = SHARE_LINK_DAYS, sent_to: str = ""
) -> ShareLink:
    if days not in SHARE_LINK_DAY_CHOICES:
        raise ValidationError({"days": "Choose how long the link works from the list."})
    return ShareLink.objects.create(
        engagement=engagement,
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
        sent_to=sent_to,
    )


def revoke_share_link(link: ShareLink) -> None:
    ShareLink.objects.filter(id=link.id, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def send_handoff(engagement: Engagement, *, sent_by, days: int = SHARE_LINK_DAYS) -> ShareLink:
    """Email the CS owner a new read-only link to the playbook (after the commit)."""
    if not engagement.cs_owner_email:
        raise ValidationError("Name the Customer Success owner and their email first.")
    link = create_share_link(
        engagement, created_by=sent_by, days=days, sent_to=engagement.cs_owner_email
    )
    context = {
        "engagement": engagement,
        "sent_by": sent_by,
        "link": share_url(link),
        "days": days,
        "app_link": settings.SITE_URL + reverse("handoff", args=[engagement.id]),
    }
    recipient = engagement.cs_owner_email
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Handoff: {engagement.customer} · {engagement.name} activation playbook",
            message=render_to_string("handoff/email/handoff.txt", context),
            from_email=None,
            recipient_list=[recipient],
        )
    )
    events.publish(engagement, events.EventType.HANDOFF_SENT, sent_to=recipient)
    return link


@transaction.atomic
def accept_handoff(engagement: Engagement, *, accepted_by) -> Engagement:
    """Record that CS accepted the handoff: who and when. Accepting twice is refused."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.handoff_accepted_at is not None:
        raise ValidationError("The handoff has already been accepted.")
    events.publish(locked, events.EventType.HANDOFF_ACCEPTED, accepted_by=accepted_by.display_name)
    return update_engagement(
        locked,
        expected_version=locked.version,
        handoff_accepted_at=timezone.now(),
        handoff_accepted_by=accepted_by,
    )


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
