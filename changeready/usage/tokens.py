"""Ingestion tokens: write-only, for one engagement's usage events.

A token is `cri_` followed by 43 URL-safe characters (32 random bytes); only
its sha256 is stored, looked up by hash like the workspace API tokens. It can
send events to its engagement and do nothing else: every other endpoint knows
only workspace API tokens, so it is refused there (401).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changeready.activity.services import record_activity
from changeready.api.tokens import DISPLAY_PREFIX_LENGTH, LAST_USED_RESOLUTION, hash_token
from changeready.usage.models import IngestionToken

TOKEN_PREFIX = "cri_"
TOKEN_PATTERN = re.compile(r"^cri_[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class IssuedIngestionToken:
    token: IngestionToken
    secret: str


def _record(token: IngestionToken, actor, verb: str) -> None:
    record_activity(
        token.engagement,
        actor=actor,
        verb=verb,
        obj_type="ingestion_token",
        obj_id=token.id,
        label=token.name,
    )


@transaction.atomic
def issue_ingestion_token(engagement, *, name: str, actor) -> IssuedIngestionToken:
    """A new token for `engagement`'s usage events; the secret is returned once."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": "Give the token a name, e.g. the product that sends events."}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = IngestionToken(
        engagement=engagement,
        name=name,
        prefix=secret[:DISPLAY_PREFIX_LENGTH],
        token_hash=hash_token(secret),
        created_by=actor,
    )
    token.full_clean()
    token.save()
    _record(token, actor, "created")
    return IssuedIngestionToken(token=token, secret=secret)


@transaction.atomic
def revoke_ingestion_token(token: IngestionToken, *, actor) -> None:
    revoked = IngestionToken.objects.filter(id=token.id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        _record(token, actor, "revoked")


def resolve_ingestion_token(secret: str) -> IngestionToken | None:
    """The active token with this secret, or None."""
    if not TOKEN_PATTERN.match(secret):
        return None
    token = (
        IngestionToken.objects.select_related("engagement__workspace")
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        IngestionToken.objects.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
    return token
