"""Two-factor authentication end to end: an authenticator app (TOTP) and recovery
codes, with every code computed here from the secret the page showed."""

import base64

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from changeready.accounts.tests.factories import PASSWORD, UserFactory
from changeready.accounts.tests.totp import totp

pytestmark = pytest.mark.django_db

NOW = 1_767_225_615.0  # mid-step: 2026-01-01 00:00:15 UTC


@pytest.fixture
def frozen_time(monkeypatch):
    """allauth reads time.time() for TOTP steps: hold it still so a code computed
    here is the code of the step the server checks."""
    monkeypatch.setattr("time.time", lambda: NOW)


@pytest.fixture
def lena(db):
    return UserFactory(email="lena@vendor.example")


def log_in(client, email="lena@vendor.example", password=PASSWORD):
    return client.post(reverse("login"), {"login": email, "password": password})


def activate_totp(client) -> str:
    """Set up an authenticator app as a signed-in person would (typing their
    password again first, as allauth asks); the secret."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # for apps that cannot scan the QR code
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, NOW)})
    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    return secret


def test_totp_set_up_then_required_at_log_in(client, lena, frozen_time):
    log_in(client)
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=lena, type=Authenticator.Type.TOTP).exists()
    client.logout()

    response = log_in(client)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret, NOW)})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_code_does_not_sign_in(client, lena, frozen_time):
    log_in(client)
    secret = activate_totp(client)
    client.logout()
    log_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret, NOW - 90)})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_code_works_once(client, lena, frozen_time):
    log_in(client)
    secret = activate_totp(client)
    client.logout()
    log_in(client)
    client.post(reverse("mfa_authenticate"), {"code": totp(secret, NOW)})
    client.logout()
    log_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret, NOW)})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, lena, frozen_time):
    log_in(client)
    activate_totp(client)
    page = client.get(reverse("mfa_view_recovery_codes"))
    codes = RecoveryCodes(Authenticator.objects.get(user=lena, type="recovery_codes"))
    unused = codes.get_unused_codes()
    assert len(unused) == 10
    assert unused[0] in page.content.decode()
    client.logout()

    log_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": unused[0]}).status_code == 302
    assert "_auth_user_id" in client.session
    client.logout()

    log_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": unused[0]}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_setting_up_totp_needs_a_recent_log_in(client, lena):
    client.force_login(lena)  # no password typed in this session
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_the_mfa_pages_render_in_the_app(client, lena, frozen_time):
    log_in(client)
    activate_totp(client)
    for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_deactivate_totp"):
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        assert 'class="narrow"' in page.content.decode(), name


def test_the_test_totp_matches_rfc_6238():
    # RFC 6238, appendix B: SHA-1 with the secret "12345678901234567890".
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59, digits=8) == "94287082"
    assert totp(secret, 1111111109, digits=8) == "07081804"
