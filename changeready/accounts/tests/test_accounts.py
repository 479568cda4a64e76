import pytest
from django.core import mail
from django.urls import reverse

from changeready.accounts.models import User
from changeready.accounts.tests.factories import PASSWORD, UserFactory
from changeready.workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Priya Raman",
    "email": "Priya.Raman@Vendor.example",
    "password": "a-long-unusual-passphrase",
    "workspace_name": "Vendor Delivery",
}


def test_signup_creates_user_and_workspace_and_signs_in(client):
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="priya.raman@vendor.example")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.name == "Vendor Delivery"
    home = client.get(reverse("home"))
    assert home.url == reverse("workspace", args=[membership.workspace.slug])


def test_signup_refuses_an_existing_email_case_insensitively(client):
    UserFactory(email="priya.raman@vendor.example")
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", ["password123", "short", "12345678901"])
def test_signup_rejects_weak_passwords_and_keeps_input(client, password):
    response = client.post(reverse("signup"), {**SIGNUP, "password": password})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert 'value="Vendor Delivery"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_needs_a_workspace_name(client):
    response = client.post(reverse("signup"), {**SIGNUP, "workspace_name": ""})
    assert "workspace_name" in response.context["form"].errors


def test_login_with_email(client, db):
    UserFactory(email="lena@vendor.example")
    response = client.post(
        reverse("login"), {"username": "lena@vendor.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_password_reset_sends_a_link(client, db):
    UserFactory(email="lena@vendor.example")
    client.post(reverse("password_reset"), {"email": "lena@vendor.example"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


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
