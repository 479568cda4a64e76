"""Authentication and tenancy for the API: the one place handlers get objects from.

A request carries `Authorization: Bearer <token>`. The token belongs to one
workspace and acts with its creator's current role there. Two rate limits
(settings `API_TOKEN_FAILURES_PER_ADDRESS` and `API_REQUESTS_PER_TOKEN`)
answer 429 with `Retry-After`: failed token checks per client address, so
tokens cannot be guessed, and requests per token, so one script cannot take
the service from everyone else. Handlers never fetch
by id alone: they use `api_engagement` or `api_get`, which scope through the
model's `objects.for_workspace(workspace)`; an object of another workspace is
a 404, exactly like one that does not exist. Writes need a writer's role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from changeready.api.errors import Forbidden, TooManyRequests
from changeready.api.models import ApiToken
from changeready.api.tokens import resolve_token
from changeready.common import throttle
from changeready.workspaces.models import Membership, Workspace


@dataclass(frozen=True)
class ApiAuth:
    token: ApiToken
    membership: Membership


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cr_…`; anything missing, malformed or revoked is a 401.

    An address that used up its failed checks is refused before its token is
    looked at, so a correct guess during the lock-out is refused like a wrong one.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiAuth | None:
        address = throttle.client_ip(request)
        failures = (
            "api-token-failures",
            address,
            settings.API_TOKEN_FAILURES_PER_ADDRESS,
            settings.API_TOKEN_FAILURE_WINDOW,
        )
        locked_out = throttle.check(*failures)
        if locked_out:
            raise TooManyRequests(locked_out.message, locked_out.retry_after)
        resolved = self.resolve(token.strip())
        if resolved is None:
            throttle.hit(*failures)
            return None
        over_rate = throttle.hit(
            "api-token-requests",
            str(resolved.token.id),
            settings.API_REQUESTS_PER_TOKEN,
            settings.API_REQUEST_WINDOW,
        )
        if over_rate:
            seconds = over_rate.retry_after
            raise TooManyRequests(
                f"Too many requests. Try again in {seconds} second{'s' * (seconds != 1)}.",
                seconds,
            )
        return resolved

    def resolve(self, secret: str) -> ApiAuth | None:
        """What the secret authenticates as; None for anything unknown, malformed or revoked.

        An endpoint that accepts another kind of token as well overrides this,
        so both share one failure count and one rate limit per token."""
        resolved = resolve_token(secret)
        if resolved is None:
            return None
        api_token, membership = resolved
        return ApiAuth(token=api_token, membership=membership)


def _auth(request: HttpRequest) -> ApiAuth:
    auth = getattr(request, "auth", None)
    if not isinstance(auth, ApiAuth):
        raise AuthenticationError()
    return auth


def api_membership(request: HttpRequest) -> Membership:
    """The token creator's current membership of the token's workspace."""
    return _auth(request).membership


def api_workspace(request: HttpRequest) -> Workspace:
    return api_membership(request).workspace


def require_write(request: HttpRequest) -> None:
    """403 unless the token's creator may change things (owner, admin, member)."""
    if not api_membership(request).can_write:
        raise Forbidden("This token's owner is a viewer: viewers can read but not change.")


def require_manage(request: HttpRequest) -> None:
    """403 unless the token's creator is an owner or admin (workspace settings)."""
    if not api_membership(request).can_manage:
        raise Forbidden("Only owners and admins can do this.")


def api_get(request: HttpRequest, queryset_with_for_workspace: Any, id, *, write: bool = False):
    """One object of the token's workspace by id, or 404.

    `queryset_with_for_workspace` is a model, its manager or a queryset whose
    class offers `for_workspace(workspace)` (add `select_related` as needed).
    """
    if write:
        require_write(request)
    source = queryset_with_for_workspace
    if isinstance(source, type):
        source = source._default_manager
    workspace = api_workspace(request)
    try:
        found = source.all().for_workspace(workspace).filter(id=id).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise Http404("Not found.")
    return found


def api_engagement(request: HttpRequest, engagement_id, *, write: bool = False):
    """The engagement of the token's workspace, or 404 (403 for a viewer's write).

    Reached through the workspace's relation, so this app imports none above it."""
    engagement = api_get(request, api_workspace(request).engagements, engagement_id, write=write)
    engagement.workspace = api_workspace(request)
    return engagement
