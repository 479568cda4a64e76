"""Every response carries the security headers; templates keep to what the CSP allows."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from changeready.common.security import SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _pages(engagement):
    return [
        ("anonymous", reverse("home")),
        ("anonymous", reverse("login")),
        ("anonymous", reverse("signup")),
        ("anonymous", reverse("account_reset_password")),
        ("anonymous", reverse("account_request_login_code")),
        ("anonymous", reverse("healthz")),
        ("anonymous", "/no-such-page/"),
        ("anonymous", "/static/css/app.css"),
        ("owner", reverse("workspace", args=["acme"])),
        ("owner", reverse("members", args=["acme"])),
        ("owner", reverse("engagement", args=[engagement.id])),
        ("owner", reverse("engagement_edit", args=[engagement.id])),
        ("owner", reverse("engagement_delete", args=[engagement.id])),
    ]


def test_every_kind_of_response_carries_the_security_headers(client_as, engagement, owner):
    for person, url in _pages(engagement):
        response = client_as(person).get(url)
        assert response.status_code in (200, 404), url
        headers = response.headers
        assert headers["Content-Security-Policy"] == EXPECTED_CSP, url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()", url


def test_the_csp_forbids_plugins_and_inline_code(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["object-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_a_view_may_set_its_own_policy():
    middleware = SecurityHeadersMiddleware(
        lambda request: HttpResponse(headers={"Content-Security-Policy": "sandbox"})
    )
    response = middleware(RequestFactory().get("/"))
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert "Permissions-Policy" in response.headers


# What `script-src 'self'; style-src 'self'` would block in a page: inline
# <script> bodies, <style> elements, style="" attributes, inline event handlers,
# javascript: URLs and htmx's eval-based hx-on attributes.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:|\bhx-on",
    re.IGNORECASE,
)


def _templates():
    root = Path(settings.BASE_DIR) / "changeready"
    return sorted(path for path in root.rglob("templates/**/*.html"))


def test_templates_have_no_inline_script_or_style():
    templates = _templates()
    assert templates, "no templates found"
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)!r}"
        for path in templates
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert not offenders, "blocked by the Content-Security-Policy:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<p style="color: red">',
        '<button onclick="go()">',
        "<style>p{}</style>",
        '<a href="javascript:void(0)">',
        '<div hx-on:click="x()">',
    ],
)
def test_the_template_scan_catches_inline_code(snippet):
    assert INLINE_CODE.search(snippet)


def test_the_template_scan_allows_external_scripts():
    assert not INLINE_CODE.search('<script src="/static/js/app.js" defer></script>')


def test_debug_error_pages_are_left_readable(settings):
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse(status=500))
    settings.DEBUG = True
    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/")).headers
    settings.DEBUG = False
    assert "Content-Security-Policy" in middleware(RequestFactory().get("/")).headers
