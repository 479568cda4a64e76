from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from changeready.common.htmx import leave_page
from changeready.workspaces.tenancy import MfaRequired


class MfaRequiredMiddleware:
    """Turns tenancy's MfaRequired into a visit to the two-factor set-up page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, MfaRequired):
            return None
        messages.info(
            request,
            f"{exception.workspace.name} asks its members to use two-factor authentication."
            " Set up an authenticator app to continue.",
        )
        return leave_page(request, reverse("mfa_index"))
