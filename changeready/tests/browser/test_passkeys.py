"""Passkeys in Chromium, through its virtual authenticator (DevTools' WebAuthn
domain): set one up because the workspace requires two-factor authentication,
use it as the second factor after a password, then sign in with it alone."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from changeready.accounts.tests.factories import PASSWORD
from changeready.tests.browser.axe import assert_accessible
from changeready.workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_virtual_authenticator(page) -> None:
    """A platform authenticator that holds passkeys, verifies the user and
    answers every request as if touched."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def log_in_with_password(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def log_out(page) -> None:
    page.context.clear_cookies()


def test_a_passkey_as_second_factor_and_for_passwordless_sign_in(page, workspace, member):
    Workspace.objects.filter(pk=workspace.pk).update(require_mfa=True)
    add_virtual_authenticator(page)

    # The workspace sends the member to set up two-factor authentication.
    log_in_with_password(page, member.email)
    page.goto(f"/w/{workspace.slug}/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Acme Delivery asks its members to use two-factor authentication"
    )
    assert_accessible(page)

    # Add a passkey (allauth asks for the password again first).
    page.goto("/accounts/2fa/webauthn/add/?passwordless")
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Add Security Key"))
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("Laptop")
    page.get_by_role("checkbox", name="Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("Add Security Key"))
    assert Authenticator.objects.filter(user=member, type="webauthn").count() == 1

    # Now the workspace lets the member in.
    page.goto(f"/w/{workspace.slug}/")
    expect(page).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # As a second factor: the password is not enough on its own.
    log_out(page)
    log_in_with_password(page, member.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Use a security key").click()
    expect(page).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))

    # Passwordless: the passkey alone signs in.
    log_out(page)
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Members")
