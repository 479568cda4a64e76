"""The browser fixtures' own guards: axe finds violations, the CSP is enforced, keys work."""

import re

import pytest
from playwright.sync_api import expect

from changeready.tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_assert_accessible_fails_on_a_serious_violation(page):
    page.goto("/accounts/login/")
    assert_accessible(page)
    # An input without its label (nor a placeholder to name it) is a critical violation.
    page.evaluate(
        "() => { document.querySelector('label[for=id_login]').remove();"
        " document.querySelector('#id_login').removeAttribute('placeholder'); }"
    )
    with pytest.raises(pytest.fail.Exception, match=r"\[critical\] label"):
        assert_accessible(page)


def test_the_page_runs_under_the_real_csp(page, browser_problems):
    page.goto("/accounts/login/")
    directive = page.evaluate(
        """() => new Promise((resolve) => {
            document.addEventListener(
                'securitypolicyviolation', (event) => resolve(event.effectiveDirective));
            const script = document.createElement('script');
            script.textContent = 'window.inlineRan = true';
            document.body.append(script);
        })"""
    )
    assert directive == "script-src-elem"
    assert page.evaluate("() => window.inlineRan") is None
    assert any("Content Security Policy" in problem for problem in browser_problems)
    browser_problems.clear()  # provoked on purpose


def test_vendored_scripts_run_under_the_csp(page):
    page.goto("/")
    assert page.evaluate("() => typeof window.htmx") == "object"


def test_space_activates_a_link_styled_as_a_button(page):
    page.goto("/")
    page.get_by_role("main").get_by_role("button", name="Sign up free").focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))


def test_throttled_log_in_is_explained(page, live_server):
    page.goto("/accounts/login/")
    for _ in range(6):
        page.get_by_label(re.compile(r"^Email")).fill("nobody@vendor.example")
        page.get_by_label(re.compile(r"^Password")).fill("wrong-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"Too many attempts\. Try again in \d+ minutes?\.")
    )
    assert_accessible(page)
