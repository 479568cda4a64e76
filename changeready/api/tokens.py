"""Creating, resolving and revoking API tokens.

A token is `cr_` followed by 43 URL-safe characters (32 random bytes). Only its
sha256 is stored; lookup is by that hash, so comparing secrets never happens
in Python and leaks no timing about the stored value.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from changeready.api.models import ApiToken
from changeready.workspaces.models import Membership

TOKEN_PREFIX = "cr_"
TOKEN_PATTERN = re.compile(r"^cr_[A-Za-z0-9_-]{43}$")
DISPLAY_PREFIX_LENGTH = 10
# last_used_at is informative; writing it on every request would turn every
# read into a write. Once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(*, membership: Membership, name: str) -> IssuedToken:
    """Create a token for `membership`'s user in its workspace; the secret is returned once."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the script that uses it."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        workspace=membership.workspace,
        user=membership.user,
        name=name,
        prefix=secret[:DISPLAY_PREFIX_LENGTH],
        token_hash=hash_token(secret),
    )
    token.full_clean()
    token.save()
    return IssuedToken(token=token, secret=secret)


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(id=token.id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def resolve_token(secret: str) -> tuple[ApiToken, Membership] | None:
    """The active token and its creator's current membership, or None."""
    if not TOKEN_PATTERN.match(secret):
        return None
    token = ApiToken.objects.active().filter(token_hash=hash_token(secret)).first()
    if token is None:
        return None
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(workspace_id=token.workspace_id, user_id=token.user_id)
        .first()
    )
    if membership is None:
        return None
    _touch(token)
    return token, membership


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
