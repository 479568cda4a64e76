"""Connecting Slack and a calendar in a real browser, as the user guide tells it."""

import pytest
from playwright.sync_api import expect

from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_connects_slack_and_sends_a_test_event(
    page, screenshot, owner, workspace, settings
):
    settings.WEBHOOKS_ALLOW_LOCAL = True  # the URL below is on this machine
    log_in(page, owner)
    page.goto(f"/w/{workspace.slug}/members/")
    page.get_by_role("button", name="Webhooks").click()
    expect(page.get_by_text("No endpoints yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Sends to").select_option(label="Slack incoming webhook")
    page.get_by_label("URL").fill("http://127.0.0.1:9/services/T0/B0/x")
    page.get_by_label("Description").fill("#delivery-alerts")
    page.get_by_label("New critical finding").check()
    page.get_by_label("Handoff accepted").check()
    page.get_by_role("button", name="Add endpoint").click()

    secret = page.get_by_label("Signing secret")
    assert secret.input_value().startswith("whsec_")
    screenshot("webhook secret shown once")
    assert_accessible(page)
    page.get_by_role("button", name="Done").click()

    page.get_by_role("button", name="Send a test event").click()
    expect(page.get_by_text("Test event queued")).to_be_visible()
    expect(page.get_by_role("row", name="webhook.test")).to_contain_text("Waiting to be sent")
    screenshot("webhook endpoint with its delivery log")
    assert_accessible(page)


def test_a_member_subscribes_to_their_plan_items(page, member, workspace):
    log_in(page, member)
    page.goto(f"/w/{workspace.slug}/")
    page.get_by_role("button", name="Calendar feeds").click()
    page.get_by_role("button", name="Create feed URL").click()
    url = page.get_by_label("Subscription URL").input_value()
    page.context.clear_cookies()
    assert "/calendar/" in url
    assert_accessible(page)
    # Calendar apps fetch it without a session.
    feed = page.request.get("/calendar/" + url.split("/calendar/", 1)[1])
    assert feed.status == 200
    assert feed.text().startswith("BEGIN:VCALENDAR")
