"""The landscape page in a real browser: the first stakeholder added inline."""

import re

import pytest
from playwright.sync_api import expect

from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_empty_state_goes_once_the_first_stakeholder_is_added_inline(page, member, engagement):
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/landscape/")
    expect(page.get_by_text("No stakeholders yet.")).to_be_visible()

    daily = page.get_by_role("region", name=re.compile(r"^Who will use it daily\?"))
    daily.get_by_role("button", name="Add").click()
    form = daily.get_by_role("form", name="New stakeholder")
    form.get_by_label(re.compile(r"^Name")).fill("Warehouse pickers")
    form.get_by_role("button", name="Add stakeholder").click()

    expect(daily.get_by_role("heading", name="Warehouse pickers")).to_be_visible()
    expect(page.get_by_text("No stakeholders yet.")).to_have_count(0)
