"""Confirming a sign-up's email in the browser, from the mail the live server sent."""

import re

from django.core import mail
from playwright.sync_api import expect

from changeready.accounts.tests.mail import last_link
from changeready.tests.browser.axe import assert_accessible


def confirm_email(page) -> None:
    """On "Verify your email address": open the mailed link and confirm."""
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify your email"))
    assert_accessible(page)
    assert mail.outbox, "no confirmation mail was sent"
    page.goto(last_link("/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
