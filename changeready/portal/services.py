"""Writes of the customer portal: inviting contributors, and what they do through it.

The team invites a stakeholder who is a person with an email; the invitation
email carries their personal link (`portal.links`). Through it the contributor
marks their own plan items done, comments on them and asks for help. Each
write records who did it in the activity history ("Dana Reyes (customer
contributor)"), in the write's transaction.

A contributor's items are the plan items of their engagement whose named
owner is their name or email address, as the weekly digest reads owners.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from changeready.activity.services import record_activity
from changeready.common.mail import send_email_after_commit
from changeready.engagements.models import Engagement
from changeready.landscape.models import Stakeholder
from changeready.planning.item_edits import set_item_status
from changeready.planning.models import PlanItem, owner_keys_of
from changeready.portal import links
from changeready.portal.models import Contributor, ContributorMessage
from changeready.workspaces.models import Membership, Role

MESSAGE_MAX_LENGTH = 2000


def contributor_keys(contributor: Contributor) -> set[str]:
    stakeholder = contributor.stakeholder
    return owner_keys_of(stakeholder.name, stakeholder.email, contributor.email)


def owned_items(contributor: Contributor):
    """The contributor's plan items: their engagement's, with their name or email as owner."""
    return (
        PlanItem.objects.filter(engagement_id=contributor.engagement_id)
        .owned_by(contributor_keys(contributor))
        .order_by("week", "created_at")
    )


def owned_item(contributor: Contributor, item_id) -> PlanItem | None:
    """One of the contributor's items, or None (another engagement's, another
    owner's, or no such item: the portal says the same for all three)."""
    try:
        return owned_items(contributor).select_related("engagement").filter(id=item_id).first()
    except ValidationError:
        return None


def _record(contributor: Contributor, verb: str, *, actor=None, actor_name=None, detail=""):
    record_activity(
        contributor.engagement,
        actor=actor,
        actor_name=actor_name,
        verb=verb,
        obj_type="contributor",
        obj_id=contributor.id,
        label=contributor.name,
        detail=detail,
    )


def _send_invitation(contributor: Contributor, *, sent_by, reminder: bool) -> None:
    engagement = contributor.engagement
    context = {
        "contributor": contributor,
        "engagement": engagement,
        "workspace": engagement.workspace,
        "sent_by": sent_by,
        "reminder": reminder,
        "link": links.portal_url(contributor),
        "expires_at": links.link_expiry(),
        "opt_out_link": links.opt_out_url(contributor),
        "items": len(owned_items(contributor).filter(status="planned")),
    }
    prefix = "Reminder: " if reminder else ""
    send_email_after_commit(
        subject=f"{prefix}your part in {engagement.customer} · {engagement.name}",
        message=render_to_string("portal/email/invitation.txt", context),
        to=contributor.email,
    )


@transaction.atomic
def invite_contributor(stakeholder: Stakeholder, *, invited_by) -> Contributor:
    """Invite a person with an email to their engagement's portal, and email them the link.

    A revoked contributor can be invited again: their old links stay dead,
    because revoking moved the link version on."""
    if stakeholder.kind != "person":
        raise ValidationError("Only a person can be a contributor; invite someone in the group.")
    if not stakeholder.email:
        raise ValidationError(f"Add {stakeholder.name}'s email address first.")
    now = timezone.now()
    contributor = Contributor.objects.select_for_update().filter(stakeholder=stakeholder).first()
    if contributor is not None and contributor.revoked_at is None:
        raise ValidationError(
            f"{stakeholder.name} is already a contributor: send the link again instead."
        )
    if contributor is None:
        contributor = Contributor(engagement_id=stakeholder.engagement_id, stakeholder=stakeholder)
    contributor.email = stakeholder.email
    contributor.invited_by = invited_by
    contributor.invited_at = contributor.sent_at = now
    contributor.revoked_at = None
    contributor.full_clean()
    contributor.save()
    contributor.engagement = stakeholder.engagement
    _record(contributor, "invited", actor=invited_by, detail=f"to {contributor.email}")
    _send_invitation(contributor, sent_by=invited_by, reminder=False)
    return contributor


@transaction.atomic
def resend_invitation(contributor: Contributor, *, sent_by) -> Contributor:
    """Send the portal link again (a fresh one: the expiry starts again)."""
    if contributor.revoked_at:
        raise ValidationError("This contributor's access was revoked: invite them again.")
    if contributor.emails_opted_out_at:
        raise ValidationError(
            f"{contributor.name} asked for no more emails; preview their page and "
            "talk to them instead."
        )
    # To the address the landscape holds now, should it have changed.
    contributor.email = contributor.stakeholder.email or contributor.email
    contributor.sent_at = timezone.now()
    contributor.save(update_fields=["email", "sent_at"])
    _record(contributor, "sent", actor=sent_by, detail=f"the link again to {contributor.email}")
    _send_invitation(contributor, sent_by=sent_by, reminder=True)
    return contributor


@transaction.atomic
def revoke_contributor(contributor: Contributor, *, revoked_by) -> Contributor:
    """End the contributor's access: every link sent to them stops at once."""
    locked = Contributor.objects.select_for_update().get(pk=contributor.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.link_version += 1
    locked.save(update_fields=["revoked_at", "link_version"])
    locked.engagement, locked.stakeholder = contributor.engagement, contributor.stakeholder
    _record(locked, "revoked", actor=revoked_by, detail="access to the portal")
    return locked


def _seen(contributor: Contributor) -> None:
    contributor.last_active_at = timezone.now()
    Contributor.objects.filter(pk=contributor.pk).update(last_active_at=contributor.last_active_at)


@transaction.atomic
def mark_done(contributor: Contributor, item: PlanItem) -> PlanItem:
    """The contributor did their step: the plan shows it done, by them."""
    _seen(contributor)
    if item.status == "done":
        return item
    return set_item_status(item, "done", expected_version=None, actor_name=contributor.actor_name)


def _checked_text(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({"text": "Write your comment first."})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"text": f"Keep it under {MESSAGE_MAX_LENGTH:,} characters ({len(text):,} now)."}
        )
    return text  # control characters are refused by the model's full_clean


def _message(contributor: Contributor, item: PlanItem | None, kind: str, text: str):
    message = ContributorMessage(
        engagement_id=contributor.engagement_id,
        contributor=contributor,
        plan_item=item,
        kind=kind,
        text=text,
    )
    message.full_clean()
    message.save()
    return message


def _record_item_message(contributor: Contributor, item: PlanItem, verb: str, text: str) -> None:
    record_activity(
        contributor.engagement,
        actor=None,
        actor_name=contributor.actor_name,
        verb=verb,
        obj_type="plan_item",
        obj_id=item.id,
        label=item.title,
        detail=f"“{text}”" if text else "",
    )


@transaction.atomic
def add_comment(contributor: Contributor, item: PlanItem, text: str) -> ContributorMessage:
    text = _checked_text(text, required=True)
    message = _message(contributor, item, "comment", text)
    _seen(contributor)
    _record_item_message(contributor, item, "commented", text)
    return message


def help_recipients(engagement: Engagement) -> list[str]:
    """Who hears a contributor's call for help: the delivery lead, else the CS
    owner, else the workspace's owners and admins."""
    for email in (engagement.delivery_lead_email, engagement.cs_owner_email):
        if email:
            return [email]
    return list(
        Membership.objects.for_workspace(engagement.workspace)
        .filter(role__in=[Role.OWNER, Role.ADMIN], user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


@transaction.atomic
def ask_for_help(contributor: Contributor, item: PlanItem, text: str) -> ContributorMessage:
    """Record the request and email the team member who runs the engagement."""
    text = _checked_text(text, required=False)
    message = _message(contributor, item, "help", text)
    _seen(contributor)
    _record_item_message(contributor, item, "asked", text)
    engagement = contributor.engagement
    body = render_to_string(
        "portal/email/help.txt",
        {
            "contributor": contributor,
            "engagement": engagement,
            "item": item,
            "text": text,
            "plan_url": settings.SITE_URL + reverse("plan", args=[engagement.id]),
        },
    )
    for recipient in help_recipients(engagement):
        send_email_after_commit(
            subject=f"{contributor.name} asks for help: {item.title}",
            message=body,
            to=recipient,
        )
    return message


@transaction.atomic
def opt_out_of_emails(contributor: Contributor) -> Contributor:
    """No more digests or reminders for this contributor (their link keeps working)."""
    if contributor.emails_opted_out_at is None:
        contributor.emails_opted_out_at = timezone.now()
        contributor.save(update_fields=["emails_opted_out_at"])
        _record(
            contributor,
            "updated",
            actor_name=contributor.actor_name,
            detail="asked for no more emails",
        )
    return contributor
