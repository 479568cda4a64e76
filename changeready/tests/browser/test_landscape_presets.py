"""Relation presets and suggested phrases on the stakeholder form, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_relation_fills_its_values_and_a_phrase_is_appended(page, member, engagement):
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/stakeholders/new/?question=opposed")
    form = page.get_by_role("form", name="New stakeholder")
    form.get_by_label("Their relation").select_option("opposed_leader")

    expect(form.get_by_label("Relation to the change")).to_have_value("people_manager")
    expect(form.get_by_label("Did not want the purchase")).to_be_checked()
    influence = form.get_by_role("group", name=re.compile("^Influence"))
    expect(influence.get_by_label("5 – can stop it")).to_be_checked()
    expect(form.get_by_text(re.compile("^Filled in: influence 5"))).to_be_visible()

    # The second list of suggestions belongs to "What would make them resist".
    form.get_by_text("Suggestions to start from").nth(1).click()
    phrase = "Loses approvals or visibility they have today."
    form.get_by_role("button", name=re.compile(re.escape(phrase))).click()
    answer = form.get_by_label(re.compile("^What would make them resist"))
    expect(answer).to_have_value(phrase)
    expect(answer).to_be_focused()
    assert_accessible(page)


def test_the_phrases_page_is_accessible(page, member, engagement):
    log_in(page, member)
    page.goto(f"/w/{engagement.workspace.slug}/phrases/")
    expect(page.get_by_role("heading", name="Suggested phrases")).to_be_visible()
    assert_accessible(page)
