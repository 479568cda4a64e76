"""Signing a test's person in through the log-in page, as they would."""

import re

from playwright.sync_api import expect

from changeready.accounts.tests.factories import PASSWORD


def log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
