"""How changeready plugs into django-allauth's sign-in flows."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from changeready.common import throttle

ACCOUNT_SCOPE = "login-account"
ADDRESS_SCOPE = "login-address"


def _login_limits(request: HttpRequest, email: str) -> list[tuple[str, str, int]]:
    """(scope, key, limit) of each log-in limit that applies to this attempt."""
    limits = [(ADDRESS_SCOPE, throttle.client_ip(request), settings.LOGIN_FAILURES_PER_ADDRESS)]
    if email:
        limits.append((ACCOUNT_SCOPE, email, settings.LOGIN_FAILURES_PER_ACCOUNT))
    return limits


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits see the same client address as ours (TRUSTED_PROXY_COUNT)."""
        return throttle.client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count this password attempt against the account and the client address
        before the password is checked, and refuse it if either is over its limit.

        Counting first (an atomic increment) is what makes parallel guesses
        count: had we checked first and counted failures after, every guess in
        flight would pass the check before any was counted. A refused attempt
        never reaches the password check, so a right password during a
        lock-out is refused like a wrong one. `authenticate` gives a successful
        attempt back.
        """
        email = credentials.get("email", "").strip().lower()
        window = settings.LOGIN_THROTTLE_WINDOW
        hits = [
            throttle.hit(scope, key, limit, window)
            for scope, key, limit in _login_limits(request, email)
        ]
        throttled = throttle.longest(*hits)
        if throttled is not None:
            request.login_throttled = throttled
            raise forms.ValidationError(throttled.message, code="throttled")

    def authenticate(self, request: HttpRequest, **credentials: Any):
        """A success is not a failure: it clears the account's count and takes
        back its hit on the address (whose other failures stay counted, so an
        address guessing at many accounts cannot reset itself with one it owns)."""
        user = super().authenticate(request, **credentials)
        if user is not None:
            email = credentials.get("email", "").strip().lower()
            window = settings.LOGIN_THROTTLE_WINDOW
            throttle.reset(ACCOUNT_SCOPE, email, window)
            throttle.undo(ADDRESS_SCOPE, throttle.client_ip(request), window)
        return user

    def pre_login(self, request: HttpRequest, user, **kwargs: Any):
        """Where a workspace requires single sign-on for the person's email domain,
        only a sign-in through its provider gets in (not a password, an emailed
        code or a passkey)."""
        from changeready.sso.services import sso_required_for

        through_sso = "sociallogin" in (kwargs.get("signal_kwargs") or {})
        if not through_sso and user.email and sso_required_for(user.email):
            clear_login(request)
            messages.error(
                request,
                "Your organisation signs in to changeready through single sign-on."
                " Continue with your work email here.",
            )
            return redirect(f"{reverse('sso_login')}?{urlencode({'email': user.email})}")
        return super().pre_login(request, user, **kwargs)

    def post_login(self, request: HttpRequest, user, **kwargs: Any):
        """After the first log-in (the one that confirms a sign-up's email), greet
        the person in the workspace they created."""
        from changeready.workspaces.models import Membership, Role

        response = super().post_login(request, user, **kwargs)
        if kwargs.get("signup"):
            owned = Membership.objects.filter(user=user, role=Role.OWNER).select_related(
                "workspace"
            )
            if len(owned) == 1:
                messages.success(
                    request,
                    f"Welcome! This is {owned[0].workspace.name}: create your first engagement.",
                )
        return response

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user.name = form.cleaned_data.get("name", "")
        return super().save_user(request, user, form, commit=commit)

    def is_email_verified(self, request: HttpRequest, email: str) -> bool:
        """An invitation link proves its address: someone signing up through one
        for their own email needs no second email to confirm it."""
        from changeready.workspaces.services import invitation_for_next_url

        invitation = invitation_for_next_url(request.POST.get("next") or request.GET.get("next"))
        if invitation is not None and invitation.email.lower() == email.lower():
            return True
        return super().is_email_verified(request, email)
