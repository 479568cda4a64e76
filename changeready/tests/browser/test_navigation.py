"""The main navigation on a phone: every workspace section reachable, nothing off-screen."""

import pytest

from changeready.accounts.tests.factories import PASSWORD
from changeready.tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ("Engagements", "Calendar", "Insights", "Playbook", "Members")


def test_the_main_nav_fits_a_phone_screen(page, screenshot, member, workspace):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/w/{workspace.slug}/calendar/")

    nav = page.get_by_role("navigation", name="Main")
    for name in SECTIONS:
        link = nav.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), name
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, name
    assert nav.get_by_role("link", name="Calendar", exact=True).get_attribute("aria-current")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("calendar on a phone")
    assert_accessible(page)

    nav.get_by_role("link", name="Playbook", exact=True).click()
    page.wait_for_url(f"**/w/{workspace.slug}/playbook/")
    assert_accessible(page)
