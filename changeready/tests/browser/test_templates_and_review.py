"""An engagement from a template, then review and send the handoff, in a real browser.

Every new page is checked with axe on the way.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from changeready.engagements.models import Engagement
from changeready.planning.regeneration import regenerate_plan
from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_template_to_a_sent_handoff(page, member, workspace):
    log_in(page, member)
    page.goto(f"/w/{workspace.slug}/")
    page.get_by_role("button", name="Create your first engagement").click()
    expect(page.get_by_role("heading", name="EHR go-live")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Use EHR go-live").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New engagement from “EHR go-live”")
    assert_accessible(page)
    page.get_by_label("Customer").fill("Riverside Health")
    page.get_by_label("Go-live date").fill((date.today() + timedelta(weeks=6)).isoformat())
    page.get_by_label("Executive sponsor").fill("Dana Whitfield")
    page.get_by_role("button", name="Create engagement").click()
    expect(page.get_by_role("status")).to_contain_text("created from “EHR go-live”")

    engagement = Engagement.objects.get()
    assert engagement.stakeholders.filter(name="Dana Whitfield").exists()
    regenerate_plan(engagement)

    page.goto(f"/engagements/{engagement.id}/handoff/review/")
    expect(page.get_by_role("heading", name="Owners of the plan's items")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Workspace member").select_option(
        label=f"{member.display_name} (member@acme.example)"
    )
    page.get_by_role("button", name="Save CS owner").click()
    expect(page.get_by_role("status")).to_contain_text("Customer Success owner saved.")
    page.get_by_role("button", name="Name these owners").click()
    expect(page.get_by_text("Every planned item has a named owner.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send handoff to member@acme.example").click()
    expect(page.get_by_role("status")).to_contain_text("Handoff sent to member@acme.example")
    assert mail.outbox[-1].to == ["member@acme.example"]
