"""A new user's first minutes, in a real browser: sign up, engagement CRUD, invite a colleague.

Every page visited is checked with axe (no serious or critical violation) and
runs under the app's real Content-Security-Policy; the sign-up is done with
the keyboard only.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from changeready.accounts.models import User
from changeready.engagements.models import Engagement
from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.mail import confirm_email
from changeready.workspaces.models import Invitation, Role

pytestmark = pytest.mark.browser


def field(page, label: str):
    """The form control labelled `label` (required ones carry an aria-hidden " *")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def tab_to(page, name: str, *, limit: int = 40) -> None:
    """Press Tab until the focused element's accessible text is `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
        )
        if focused == name:
            return
    pytest.fail(f"{name!r} cannot be reached with the Tab key")


def test_new_user_signs_up_and_runs_an_engagement(page, screenshot, mailoutbox):
    # The home page, reached by keyboard.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Implementations finish. Adoption fails."
    )
    assert_accessible(page)
    screenshot("landing")
    tab_to(page, "Sign up free")
    page.keyboard.press("Enter")

    # Sign up, submitting with Enter on the focused button.
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    assert_accessible(page)
    screenshot("signup")
    field(page, "Your name").fill("Priya Raman")
    field(page, "Work email").fill("priya@vendor.example")
    field(page, "Password").fill("a-long-unusual-passphrase")
    field(page, "Workspace name").fill("Vendor Delivery")
    field(page, "Workspace name").focus()
    tab_to(page, "Create account", limit=3)
    page.keyboard.press("Enter")
    confirm_email(page)

    # Lands in the new, empty workspace.
    expect(page).to_have_url(re.compile(r"/w/vendor-delivery/$"))
    expect(page.get_by_role("status")).to_contain_text("Welcome! This is Vendor Delivery")
    expect(page.get_by_role("heading", name="No engagements yet")).to_be_visible()
    assert_accessible(page)
    screenshot("workspace-empty")
    user = User.objects.get(email="priya@vendor.example")
    assert user.memberships.get().role == Role.OWNER

    # Create an engagement.
    page.get_by_role("button", name="Create your first engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New engagement")
    expect(page.get_by_role("heading", name="EHR go-live")).to_be_visible()
    assert_accessible(page)
    screenshot("engagement-choose")
    page.get_by_role("button", name="Start blank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New engagement")
    assert_accessible(page)
    screenshot("engagement-new")
    go_live = date.today() + timedelta(weeks=10)
    field(page, "Name").fill("WMS rollout")
    field(page, "Customer").fill("Northwind Traders")
    field(page, "Go live date").fill(go_live.isoformat())
    page.get_by_role("button", name="Create engagement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("WMS rollout")
    expect(page.get_by_role("status")).to_contain_text("Engagement “WMS rollout” created.")
    expect(page.get_by_text("in 10 weeks")).to_be_visible()
    assert_accessible(page)
    screenshot("engagement-detail")
    engagement = Engagement.objects.get()
    assert engagement.customer == "Northwind Traders"

    # Edit it.
    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit engagement")
    assert_accessible(page)
    field(page, "Name").fill("WMS rollout, phase 1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("WMS rollout, phase 1")
    engagement.refresh_from_db()
    assert engagement.name == "WMS rollout, phase 1"
    assert engagement.version == 2

    # A form error is shown next to its field and announced.
    page.get_by_role("button", name="Edit").click()
    field(page, "Customer").fill("")
    page.get_by_role("button", name="Save").click()
    customer = field(page, "Customer")
    expect(customer).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_customer_error")).to_have_text("This field is required.")
    assert_accessible(page)
    screenshot("engagement-edit-error")
    page.get_by_role("button", name="Cancel").click()
    engagement.refresh_from_db()
    assert engagement.customer == "Northwind Traders"

    # Invite a colleague.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of Vendor Delivery")
    assert_accessible(page)
    field(page, "Email").fill("lena@vendor.example")
    field(page, "Role").select_option("admin")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to lena@vendor.example.")
    expect(page.get_by_text("lena@vendor.example as admin")).to_be_visible()
    assert_accessible(page)
    screenshot("members")
    assert mailoutbox is mail.outbox
    assert [message.to for message in mailoutbox] == [
        ["priya@vendor.example"],  # the sign-up's confirmation
        ["lena@vendor.example"],
    ]
    assert "/invitations/" in mailoutbox[1].body
    assert Invitation.objects.get().role == Role.ADMIN

    # Delete the engagement through its confirmation page.
    page.get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="WMS rollout, phase 1").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete “WMS rollout, phase 1”?")
    assert_accessible(page)
    screenshot("engagement-delete")
    assert Engagement.objects.count() == 1  # only asked so far
    page.get_by_role("button", name="Delete engagement").click()
    expect(page).to_have_url(re.compile(r"/w/vendor-delivery/$"))
    expect(page.get_by_role("heading", name="No engagements yet")).to_be_visible()
    assert_accessible(page)
    assert not Engagement.objects.exists()
