"""Response headers Django's SecurityMiddleware does not set.

Django 5.2 has no Content-Security-Policy support of its own and no
Permissions-Policy, so this middleware adds both, from settings:

- `CONTENT_SECURITY_POLICY`: a dict of directive -> list of sources, rendered
  once at start-up. Only files served from our own origin may run or style the
  page: no inline script, no inline style, no plug-ins, no framing.
- `PERMISSIONS_POLICY`: a dict of feature -> list of allowed origins (empty:
  nobody, not even us).

With DEBUG on, error responses go without a CSP: Django's technical 404 and 500
pages are built with inline styles and scripts.

A view that needs another policy (a file download, say) sets the header on its
own response; this middleware never overwrites a header that is already there.
Referrer-Policy, X-Content-Type-Options and Cross-Origin-Opener-Policy come
from SecurityMiddleware, X-Frame-Options from XFrameOptionsMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def render_csp(policy: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(
        " ".join([directive, *sources]) if sources else directive
        for directive, sources in policy.items()
    )


def render_permissions_policy(policy: Mapping[str, Sequence[str]]) -> str:
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp = render_csp(settings.CONTENT_SECURITY_POLICY)
        self.permissions_policy = render_permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.csp and not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
