"""Common passwords are refused wherever a password is chosen."""

import pytest
from django.urls import reverse

from changeready.accounts.models import User
from changeready.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

COMMON = "qwertyuiop"  # ten characters, not numeric, on Django's common list


def test_signup_rejects_a_common_password(client):
    response = client.post(
        reverse("signup"),
        {
            "name": "Priya Raman",
            "email": "priya@vendor.example",
            "password": COMMON,
            "workspace_name": "Vendor Delivery",
        },
    )
    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password1"]
    assert not User.objects.filter(email="priya@vendor.example").exists()


def test_password_change_rejects_a_common_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": COMMON, "password2": COMMON},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password1"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_accepts_an_uncommon_password(client):
    user = UserFactory()
    client.force_login(user)
    new = "a-quiet-lighthouse-in-fog"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
