"""The links a customer contributor opens: signed, expiring, revocable.

A portal token is the contributor's id and link version, signed with
SECRET_KEY (django.core.signing) under the portal's own salt and stamped with
the time it was made. It stops working when it is older than
PORTAL_LINK_MAX_AGE_DAYS, when the contributor is revoked (the version moves
on, so a re-invitation does not revive old links) or when its signature is
wrong. An opt-out token (a different salt) names the contributor only and
never expires: an email's "stop these emails" must work whenever it is read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from changeready.portal.models import Contributor

PORTAL_SALT = "changeready.portal.contributor"
OPT_OUT_SALT = "changeready.portal.opt-out"


def max_age() -> timedelta:
    return timedelta(days=settings.PORTAL_LINK_MAX_AGE_DAYS)


def link_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + max_age()


def portal_token(contributor: Contributor) -> str:
    return signing.dumps([str(contributor.id), contributor.link_version], salt=PORTAL_SALT)


def portal_url(contributor: Contributor) -> str:
    return settings.SITE_URL + reverse("portal", args=[portal_token(contributor)])


def opt_out_token(contributor: Contributor) -> str:
    return signing.dumps(str(contributor.id), salt=OPT_OUT_SALT)


def opt_out_url(contributor: Contributor) -> str:
    return settings.SITE_URL + reverse("portal_opt_out", args=[opt_out_token(contributor)])


def _contributors():
    return Contributor.objects.select_related("engagement__workspace", "stakeholder")


def contributor_from_token(token: str) -> Contributor | None:
    """The contributor a portal token stands for, or None: tampered, expired,
    revoked and unknown links are all the same None, so a refusal tells nothing."""
    try:
        value = signing.loads(token, salt=PORTAL_SALT, max_age=max_age())
        contributor_id, version = value
    except (signing.BadSignature, TypeError, ValueError):
        return None
    try:
        return _contributors().active().filter(id=contributor_id, link_version=version).first()
    except (ValidationError, ValueError, TypeError):  # a signed value that is not a UUID
        return None


def contributor_from_opt_out_token(token: str) -> Contributor | None:
    try:
        contributor_id = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    try:
        return _contributors().filter(id=contributor_id).first()
    except (ValidationError, ValueError, TypeError):
        return None
