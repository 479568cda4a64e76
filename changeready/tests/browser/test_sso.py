"""Single sign-on end to end in Chromium: an owner connects a (test) OpenID Connect
provider and proves a domain; a new person signs in through it and joins; with
single sign-on required, a member's password no longer gets them in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from changeready.accounts.tests.factories import PASSWORD
from changeready.sso.tests.oidc_provider import OidcProvider
from changeready.tests.browser.axe import assert_accessible
from changeready.workspaces.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    field(page, "Email").fill(email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_an_owner_sets_up_single_sign_on_and_people_sign_in_through_it(
    page, fresh_page, workspace, owner, member
):
    with OidcProvider() as provider:
        # The owner connects the provider.
        log_in(page, owner.email)
        page.goto(f"/w/{workspace.slug}/members/")
        page.get_by_role("link", name="Single sign-on").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Single sign-on for Acme Delivery"
        )
        assert_accessible(page)
        field(page, "Issuer URL").fill(provider.issuer)
        field(page, "Client ID").fill(provider.client_id)
        field(page, "Client secret").fill(provider.client_secret)
        page.get_by_role("button", name="Save single sign-on").click()
        expect(page.get_by_role("status")).to_contain_text("Single sign-on saved.")
        expect(page.get_by_text("Redirect URI to register")).to_be_visible()

        # ... proves the domain with the mailed code ...
        field(page, "Email domain").fill("acme.example")
        field(page, "Send the code to").fill("it@acme.example")
        page.get_by_role("button", name="Send the code").click()
        expect(page.get_by_role("status")).to_contain_text("We sent a code to it@acme.example")
        code = re.search(r"^(\d{8})$", mail.outbox[-1].body, re.MULTILINE).group(1)
        page.get_by_label("Code for acme.example").fill(code)
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("status")).to_contain_text("acme.example is verified.")

        # ... and requires single sign-on.
        page.get_by_role("checkbox", name="Single sign-on required").check()
        page.get_by_role("button", name="Save single sign-on").click()
        expect(page.get_by_role("status")).to_contain_text("Single sign-on saved.")
        assert_accessible(page)

        # Someone new signs in through the provider and joins just in time.
        newcomer = fresh_page()
        provider.sign_in_as("sam.okafor@acme.example", name="Sam Okafor")
        newcomer.goto("/accounts/login/")
        newcomer.get_by_role("link", name="Sign in with single sign-on").click()
        assert_accessible(newcomer)
        field(newcomer, "Work email").fill("sam.okafor@acme.example")
        newcomer.get_by_role("button", name="Continue").click()
        expect(newcomer).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))
        expect(newcomer.get_by_role("navigation", name="Main")).to_contain_text("Members")
        joined = Membership.objects.get(workspace=workspace, user__email="sam.okafor@acme.example")
        assert joined.role == Role.MEMBER

        # A member's password no longer gets them in: single sign-on does.
        other = fresh_page()
        log_in(other, member.email)
        expect(other).to_have_url(re.compile(r"/accounts/sso/\?email="))
        expect(other.get_by_role("status")).to_contain_text(
            "Your organisation signs in to changeready through single sign-on"
        )
        provider.sign_in_as(member.email)
        expect(field(other, "Work email")).to_have_value(member.email)
        other.get_by_role("button", name="Continue").click()
        expect(other).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))
