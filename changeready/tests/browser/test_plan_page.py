"""The plan page in a real browser: adding by hand to an empty plan, and an
inline edit beside the filters."""

import re

import pytest
from playwright.sync_api import expect

from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning import regeneration
from changeready.planning.models import PlanItem
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DUPLICATE_IDS = """() => {
    const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
    return ids.filter((id, index) => ids.indexOf(id) !== index);
}"""

LABELS_OUTSIDE_THEIR_FORM = """(selector) => {
    const form = document.querySelector(selector);
    return [...form.querySelectorAll('label[for]')]
        .filter((label) => !form.contains(document.getElementById(label.htmlFor)))
        .map((label) => label.htmlFor);
}"""


def test_an_item_added_by_hand_to_an_empty_plan_is_saved(page, member, engagement):
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/plan/")
    page.get_by_role("link", name="or add an item by hand").click()
    page.get_by_label(re.compile(r"^Title")).fill("Kick-off call with the sponsor")
    page.get_by_label(re.compile(r"^Kind")).select_option(label="Communication")
    page.get_by_role("button", name="Add item").click()

    expect(page.get_by_role("heading", name="Kick-off call with the sponsor")).to_be_visible()
    assert PlanItem.objects.filter(
        engagement=engagement, title="Kick-off call with the sponsor", week=1
    ).exists()


def test_an_inline_edit_beside_the_filters_gives_every_label_its_own_field(
    page, member, engagement
):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    regeneration.regenerate_plan(engagement)
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/plan/")
    page.get_by_role("link", name=re.compile(r"^Edit")).first.click()
    form = page.locator("form.grid-form")
    expect(form).to_be_visible()

    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.evaluate(LABELS_OUTSIDE_THEIR_FORM, "form.grid-form") == []
    assert page.evaluate(LABELS_OUTSIDE_THEIR_FORM, "form.plan-filters") == []


def test_the_plan_page_and_its_preview_are_accessible_and_bulk_assign_works(
    page, member, engagement
):
    from changeready.tests.browser.axe import assert_accessible

    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    regeneration.regenerate_plan(engagement)
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/plan/generate/")
    assert_accessible(page)
    page.goto(f"/engagements/{engagement.id}/plan/")
    assert_accessible(page)
    assert page.evaluate(DUPLICATE_IDS) == []

    ticks = page.get_by_role("checkbox", name=re.compile(r"^Tick"))
    ticks.nth(0).check()
    ticks.nth(1).check()
    page.get_by_role("combobox", name="Owner for the ticked items").fill("Sam Okafor")
    page.get_by_role("button", name="Assign").click()

    expect(page.get_by_role("status")).to_be_attached()
    expect(page.locator(".line-owner", has_text="Sam Okafor")).to_have_count(2)
    assert PlanItem.objects.filter(engagement=engagement, owner="Sam Okafor").count() == 2
    page.get_by_label("Show").select_option(label="By owner")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name=re.compile("^Sam Okafor"))).to_be_visible()
    assert_accessible(page)
