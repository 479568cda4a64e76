"""The interactive API docs render in a real browser from the app's own files,
under the app's own content security policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_works_offline_under_the_app_csp(page, live_server):
    outside = []

    def only_the_app(route):
        if not route.request.url.startswith(live_server.url):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_the_app)
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "changeready API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() >= 24
    assert outside == []
