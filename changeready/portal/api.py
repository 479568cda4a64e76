"""API v1: the customer contributors of an engagement (its portal's invitations).

The same services as the stakeholder page's Customer portal section: invite a
person with an email (they get the link by email), send the link again, end
their access. The link itself is never in an answer: it goes only to the
contributor's inbox, as on the web.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from ninja import Field, Router, Schema, Status

from changeready.api.auth import api_engagement, api_get, api_membership
from changeready.api.errors import model_validation, responses
from changeready.landscape.models import Stakeholder
from changeready.portal import services
from changeready.portal.models import Contributor

router = Router(tags=["customer portal"])


class ContributorOut(Schema):
    id: UUID
    engagement_id: UUID
    stakeholder: UUID = Field(description="The person in the landscape they are.")
    name: str
    email: str = Field(description="Where the latest invitation or link went.")
    status: str = Field(
        description="`active`, or `revoked` once their access ended (their links stop)."
    )
    invited_at: datetime
    sent_at: datetime = Field(description="The latest invitation or link sent.")
    link_expires_at: datetime | None = Field(
        description="When the latest link stops working on its own; null once revoked."
    )
    revoked_at: datetime | None
    last_active_at: datetime | None = Field(
        description="Their last action through the portal (opening it is not one)."
    )
    emails_opted_out_at: datetime | None = Field(
        description="When they asked for no more emails: links can no longer be sent."
    )


def contributor_out(contributor: Contributor) -> dict:
    revoked = contributor.revoked_at is not None
    return {
        "id": contributor.id,
        "engagement_id": contributor.engagement_id,
        "stakeholder": contributor.stakeholder_id,
        "name": contributor.name,
        "email": contributor.email,
        "status": "revoked" if revoked else "active",
        "invited_at": contributor.invited_at,
        "sent_at": contributor.sent_at,
        "link_expires_at": None
        if revoked
        else contributor.sent_at + timedelta(days=settings.PORTAL_LINK_MAX_AGE_DAYS),
        "revoked_at": contributor.revoked_at,
        "last_active_at": contributor.last_active_at,
        "emails_opted_out_at": contributor.emails_opted_out_at,
    }


def _contributor(request, contributor_id: UUID, *, write: bool = False) -> Contributor:
    return api_get(
        request,
        Contributor.objects.select_related("engagement", "stakeholder"),
        contributor_id,
        write=write,
    )


@router.get(
    "/engagements/{engagement_id}/contributors",
    response=responses({200: list[ContributorOut]}, 404),
    summary="List the engagement's customer contributors",
    description="Active and revoked, by name.",
)
def list_contributors(request, engagement_id: UUID):
    engagement = api_engagement(request, engagement_id)
    contributors = engagement.contributors.select_related("stakeholder").order_by(
        "stakeholder__name", "id"
    )
    return [contributor_out(contributor) for contributor in contributors]


@router.post(
    "/stakeholders/{stakeholder_id}/contributor",
    response=responses({201: ContributorOut}, 403, 404),
    summary="Invite a person to the customer portal (they get their link by email)",
    description="The stakeholder must be a person with an email address. A revoked "
    "contributor may be invited again (their old links stay dead); an active one is a 422: "
    "send the link again instead.",
)
def invite_contributor(request, stakeholder_id: UUID):
    stakeholder = api_get(
        request, Stakeholder.objects.select_related("engagement"), stakeholder_id, write=True
    )
    with model_validation():
        contributor = services.invite_contributor(
            stakeholder, invited_by=api_membership(request).user
        )
    return Status(201, contributor_out(contributor))


@router.get(
    "/contributors/{contributor_id}",
    response=responses({200: ContributorOut}, 404),
    summary="Read a customer contributor",
)
def get_contributor(request, contributor_id: UUID):
    return contributor_out(_contributor(request, contributor_id))


@router.post(
    "/contributors/{contributor_id}/resend",
    response=responses({200: ContributorOut}, 403, 404),
    summary="Email a contributor a fresh link (its expiry starts again)",
    description="A 422 once their access was revoked (invite them again) or after they "
    "asked for no more emails.",
)
def resend_link(request, contributor_id: UUID):
    contributor = _contributor(request, contributor_id, write=True)
    with model_validation():
        services.resend_invitation(contributor, sent_by=api_membership(request).user)
    return contributor_out(contributor)


@router.post(
    "/contributors/{contributor_id}/revoke",
    response=responses({200: ContributorOut}, 403, 404),
    summary="End a contributor's access: every link sent to them stops at once",
    description="Asking again changes nothing.",
)
def revoke_contributor(request, contributor_id: UUID):
    contributor = _contributor(request, contributor_id, write=True)
    revoked = services.revoke_contributor(contributor, revoked_by=api_membership(request).user)
    return contributor_out(revoked)
