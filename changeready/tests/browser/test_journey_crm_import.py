"""A Salesforce contact-roles report becomes the landscape in at most 5 user actions."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from changeready.landscape.models import Stakeholder
from changeready.tests.browser.actions import Actions
from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SALESFORCE_REPORT = (
    Path(__file__).resolve().parents[2]
    / "landscape"
    / "tests"
    / "examples"
    / "salesforce-contact-roles.csv"
)
GOAL = 5


def test_a_salesforce_contact_roles_report_is_imported_in_five_actions(
    page, member, engagement, screenshot
):
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/")
    actions = Actions(page)

    tabs = page.get_by_role("navigation", name="Engagement sections")
    actions.click(tabs.get_by_role("link", name="Landscape"))
    actions.click(page.get_by_role("button", name="Import from CSV, Excel or your CRM"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import stakeholders")
    assert_accessible(page)
    actions.upload(page.get_by_label(re.compile(r"^Stakeholder file")), SALESFORCE_REPORT)
    actions.click(page.get_by_role("button", name="Check the file"))
    expect(
        page.get_by_role("heading", name="Preview: 7 stakeholders will be added")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("as a Salesforce"))).to_be_visible()
    assert_accessible(page)
    screenshot("salesforce-preview")
    actions.click(page.get_by_role("button", name="Import 7 stakeholders"))
    expect(page.get_by_role("status")).to_contain_text("Imported 7 stakeholders.")

    assert dict(engagement.stakeholders.values_list("name", "role")) == {
        "Dana Whitfield": "economic_buyer",
        "Omar Haddad": "executive_sponsor",
        "Priya Nair": "product_admin",
        "Luis Ortega": "it_security",
        "Grace Liu": "daily_user",
        "Ines Park": "people_manager",
        "Sam Reed": "downstream",
    }
    assert set(Stakeholder.objects.values_list("kind", flat=True)) == {"person"}
    assert len(actions) <= GOAL, f"{len(actions)} actions, the goal is {GOAL}:\n{actions.report()}"
