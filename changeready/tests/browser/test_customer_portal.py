"""A customer sponsor completes their plan steps through the portal, and the
delivery team sees it on the plan and in the activity history."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from changeready.handoff.tests.example import load_example
from changeready.planning.models import PlanItem
from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTOR = "Marcus Webb (customer contributor)"


def named(action: str, title: str) -> re.Pattern:
    """A button's accessible name: its visible word, then the step's title it
    carries for screen readers (a visually hidden block, so a space may come between)."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(title)}")


@pytest.fixture
def northwind(workspace):
    engagement = load_example(workspace)
    for item, title in zip(
        PlanItem.objects.filter(engagement=engagement, status="planned")[:2],
        ("Announce the go-live date to the warehouse", "Approve the hypercare rota"),
        strict=True,
    ):
        item.owner, item.title = "Marcus Webb", title
        item.save()
    return engagement


def test_a_sponsor_completes_their_steps_and_the_team_sees_it(
    page, fresh_page, member, northwind, screenshot
):
    marcus = northwind.stakeholders.get(name="Marcus Webb")
    log_in(page, member)
    page.goto(f"/engagements/{northwind.id}/stakeholders/{marcus.id}/")
    page.get_by_role("button", name="Invite Marcus Webb as a contributor").click()
    expect(page.get_by_text("invited, has not acted yet")).to_be_visible()
    assert_accessible(page)

    [invitation] = [m for m in mail.outbox if m.to == ["m.webb@northwind.example"]]
    # The emailed link is absolute on SITE_URL; the live server has its own port.
    link = re.search(r"https?://[^/\s]+(/c/\S+/)", invitation.body).group(1)
    portal = fresh_page()
    portal.goto(link)
    expect(portal.get_by_role("heading", level=1)).to_have_text(
        "Marcus Webb: your steps in Warehouse management rollout"
    )
    expect(portal.get_by_role("heading", name="To do (2)")).to_be_visible()
    assert_accessible(portal)
    screenshot("portal", of=portal)

    portal.get_by_role("button", name=named("Mark done", "Announce the go-live date")).click()
    expect(portal.get_by_role("status")).to_have_text(re.compile("Marked done"))
    rota = portal.locator(
        "article", has=portal.get_by_role("heading", name="Approve the hypercare rota")
    )
    rota.get_by_text("Comment or ask for help").click()
    rota.get_by_label("Your comment").fill("Rota approved with the night shift leads.")
    portal.get_by_role("button", name=named("Add comment", "Approve the hypercare rota")).click()
    expect(portal.get_by_role("status")).to_have_text(re.compile("Comment added"))
    portal.get_by_role("button", name=named("Mark done", "Approve the hypercare rota")).click()
    expect(portal.get_by_role("heading", name="To do (0)")).to_be_visible()
    expect(portal.get_by_role("heading", name="Done (2)")).to_be_visible()
    assert_accessible(portal)
    screenshot("portal-done", of=portal)

    page.goto(f"/engagements/{northwind.id}/plan/?owner=Marcus+Webb")
    for title in ("Announce the go-live date to the warehouse", "Approve the hypercare rota"):
        line = page.locator(".plan-item", has=page.get_by_role("heading", name=title))
        expect(line.locator(".line-done-by")).to_contain_text(f"done by {ACTOR}")
    screenshot("plan", of=page)
    page.goto(f"/engagements/{northwind.id}/activity/")
    expect(page.get_by_text(ACTOR).first).to_be_visible()
    expect(page.get_by_text(re.compile("commented on plan item"))).to_be_visible()
    page.goto(f"/engagements/{northwind.id}/stakeholders/{marcus.id}/")
    expect(page.get_by_text("Rota approved with the night shift leads.")).to_be_visible()
    expect(page.get_by_text(re.compile("active, last on"))).to_be_visible()
