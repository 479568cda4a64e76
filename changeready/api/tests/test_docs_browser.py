"""The interactive API docs render in a real browser with no network beyond the
app and under a strict content security policy (run by `make test-browser`)."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)


def test_swagger_ui_works_offline_under_a_strict_csp(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        violations = []
        page.on(
            "console", lambda m: "Content Security Policy" in m.text and violations.append(m.text)
        )
        outside = []

        def serve(route):
            if not route.request.url.startswith(live_server.url):
                outside.append(route.request.url)
                return route.abort()
            response = route.fetch()
            route.fulfill(
                response=response, headers={**response.headers, "content-security-policy": CSP}
            )

        page.route("**/*", serve)
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
        assert "changeready API" in page.inner_text(".swagger-ui .info .title")
        assert page.locator(".opblock").count() >= 17
        browser.close()
    assert outside == []
    assert violations == []
