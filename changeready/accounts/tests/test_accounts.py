import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.urls import reverse

from changeready.accounts.models import User
from changeready.accounts.tests.factories import PASSWORD, UserFactory
from changeready.accounts.tests.mail import last_code, last_link
from changeready.workspaces.models import Membership, Role, Workspace

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Priya Raman",
    "email": "Priya.Raman@Vendor.example",
    "password": "a-long-unusual-passphrase",
    "workspace_name": "Vendor Delivery",
}


def confirm_email(client):
    """Open the mailed confirmation link and confirm (a GET only shows the page)."""
    link = last_link("/accounts/confirm-email/")
    assert client.get(link).status_code == 200
    return client.post(link)


def test_signup_creates_user_and_workspace_and_signs_in_once_the_email_is_confirmed(client):
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="priya.raman@vendor.example")
    assert user.name == "Priya Raman"
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.name == "Vendor Delivery"
    assert "_auth_user_id" not in client.session

    assert confirm_email(client).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    home = client.get(reverse("home"))
    assert home.url == reverse("workspace", args=[membership.workspace.slug])


def test_signup_with_a_taken_email_answers_the_same_and_tells_the_owner(client):
    UserFactory(email="priya.raman@vendor.example")
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="priya.raman@vendor.example").count() == 1
    assert not Workspace.objects.filter(name="Vendor Delivery").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["priya.raman@vendor.example"]
    assert "already exists" in mail.outbox[0].body
    assert "_auth_user_id" not in client.session


def test_parallel_signups_with_one_email_answer_as_for_a_taken_email(client, monkeypatch):
    """The race: another sign-up commits the email between our check and our insert."""
    UserFactory(email="priya.raman@vendor.example")
    monkeypatch.setattr(
        "allauth.account.internal.flows.manage_email.email_already_exists",
        lambda email, **kwargs: (email, False),
    )
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="priya.raman@vendor.example").count() == 1
    assert not Workspace.objects.filter(name="Vendor Delivery").exists()
    assert "already exists" in mail.outbox[-1].body


def test_signup_is_throttled_per_client_address(client):
    for n in range(10):
        response = client.post(reverse("signup"), {**SIGNUP, "email": f"p{n}@vendor.example"})
        assert response.status_code == 302
    response = client.post(reverse("signup"), {**SIGNUP, "email": "late@vendor.example"})
    assert response.status_code == 429
    assert not User.objects.filter(email="late@vendor.example").exists()


@pytest.mark.parametrize("password", ["password123", "short", "12345678901"])
def test_signup_rejects_weak_passwords_and_keeps_input(client, password):
    response = client.post(reverse("signup"), {**SIGNUP, "password": password})
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert 'value="Vendor Delivery"' in response.content.decode()
    assert not User.objects.filter(email="priya.raman@vendor.example").exists()


def test_signup_needs_a_workspace_name(client):
    response = client.post(reverse("signup"), {**SIGNUP, "workspace_name": ""})
    assert "workspace_name" in response.context["form"].errors
    assert not User.objects.filter(email="priya.raman@vendor.example").exists()


def test_login_with_email(client, db):
    UserFactory(email="lena@vendor.example")
    response = client.post(reverse("login"), {"login": "lena@vendor.example", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_an_unconfirmed_email_is_confirmed_before_the_first_log_in(client):
    client.post(reverse("signup"), SIGNUP)
    response = client.post(
        reverse("login"), {"login": "priya.raman@vendor.example", "password": SIGNUP["password"]}
    )
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert confirm_email(client).status_code == 302
    assert "_auth_user_id" in client.session


def test_sign_in_by_emailed_code(client):
    UserFactory(email="lena@vendor.example")
    response = client.post(reverse("account_request_login_code"), {"email": "lena@vendor.example"})
    assert response.url == reverse("account_confirm_login_code")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_code_does_not_sign_in(client):
    UserFactory(email="lena@vendor.example")
    client.post(reverse("account_request_login_code"), {"email": "lena@vendor.example"})
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(client, db):
    user = UserFactory(email="lena@vendor.example")
    client.post(reverse("account_reset_password"), {"email": "lena@vendor.example"})
    assert len(mail.outbox) == 1
    link = client.get(last_link("/accounts/password/reset/key/"))
    new = "a-quiet-lighthouse-in-fog"
    response = client.post(link.url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/accounts/password_reset/", "/accounts/password/reset/"),
        ("/accounts/reset/MQ/set-password/", "/accounts/password/reset/"),
        ("/accounts/password_change/", "/accounts/password/change/"),
    ],
)
def test_pages_from_before_allauth_redirect_to_their_new_place(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response.url == new


def test_accounts_from_before_allauth_keep_their_password_and_need_no_confirmation(client):
    """The data migration: an account with no EmailAddress gets a verified one,
    and logs in with the password it had."""
    user = UserFactory(email="old.timer@vendor.example")
    EmailAddress.objects.filter(user=user).delete()
    hash_before = user.password
    migration = importlib.import_module(
        "changeready.accounts.migrations.0002_verified_email_addresses"
    )
    migration.verify_existing_emails(apps, None)
    migration.verify_existing_emails(apps, None)  # a second run adds nothing

    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    user.refresh_from_db()
    assert user.password == hash_before
    response = client.post(
        reverse("login"), {"login": "old.timer@vendor.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_landing_page_offers_signup(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("signup") in response.content.decode()


def test_user_without_workspace_is_asked_to_create_one(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("home")).url == reverse("workspace_create")


def test_switching_workspace_remembers_the_last_one(client, workspace, other_workspace, owner):
    Membership.objects.create(workspace=other_workspace, user=owner, role=Role.MEMBER)
    client.force_login(owner)
    client.get(reverse("workspace", args=[other_workspace.slug]))
    assert client.get(reverse("home")).url == reverse("workspace", args=[other_workspace.slug])
