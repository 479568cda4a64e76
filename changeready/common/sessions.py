"""Idle and absolute session timeouts.

Django expires a session `SESSION_COOKIE_AGE` seconds after it was last saved,
which slides forward whenever the session changes. That is neither an idle
timeout (nothing is saved on a plain page view) nor an absolute one (any save
extends it). This middleware adds both, on top of Django's sessions:

- at log-in, `record_login` stores the log-in time in the session;
- on each request of a signed-in person, the session ends if it is older than
  `SESSION_COOKIE_AGE` (absolute) or unused for `SESSION_IDLE_TIMEOUT` (idle);
- otherwise the last activity is refreshed, at most once every
  `SESSION_ACTIVITY_RESOLUTION` seconds, so a page view does not write the
  session store each time (`SESSION_SAVE_EVERY_REQUEST` stays off).

An expired person is logged out (Django's `logout`, which flushes the session)
and sent to the log-in page with a message, and back to where they were after.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from changeready.common import clock
from changeready.common.htmx import leave_page

LOGIN_AT_KEY = "_login_at"
LAST_ACTIVITY_KEY = "_last_activity"


def record_login(sender, request: HttpRequest, user, **kwargs) -> None:
    """`user_logged_in` receiver: start both clocks."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(clock.now())
    session[LOGIN_AT_KEY] = now
    session[LAST_ACTIVITY_KEY] = now


def expiry_reason(session, now: float) -> str | None:
    """Why this signed-in session is over, or None if it is still good."""
    login_at = session.get(LOGIN_AT_KEY)
    if login_at is None:
        return None  # recorded below on this request
    if now - login_at > settings.SESSION_COOKIE_AGE:
        return "absolute"
    last_activity = session.get(LAST_ACTIVITY_KEY, login_at)
    if now - last_activity > settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    if hours and not rest:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class SessionTimeoutMiddleware:
    """Place after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = clock.now()
            reason = expiry_reason(request.session, now)
            if reason is not None:
                return self._expire(request, reason)
            self._touch(request.session, now)
        return self.get_response(request)

    def _touch(self, session, now: float) -> None:
        if LOGIN_AT_KEY not in session:
            # A session from before this middleware existed: its clocks start now.
            session[LOGIN_AT_KEY] = int(now)
            session[LAST_ACTIVITY_KEY] = int(now)
            return
        last_activity = session.get(LAST_ACTIVITY_KEY, 0)
        if now - last_activity >= settings.SESSION_ACTIVITY_RESOLUTION:
            session[LAST_ACTIVITY_KEY] = int(now)

    def _expire(self, request: HttpRequest, reason: str) -> HttpResponse:
        logout(request)
        if reason == "idle":
            text = (
                f"You were logged out after {_duration(settings.SESSION_IDLE_TIMEOUT)}"
                " without activity. Log in again to continue."
            )
        else:
            text = (
                f"Your session ended {_duration(settings.SESSION_COOKIE_AGE)} after you"
                " logged in. Log in again to continue."
            )
        messages.info(request, text)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            return redirect_to_login(request.get_full_path())
        return leave_page(request, reverse(settings.LOGIN_URL))
