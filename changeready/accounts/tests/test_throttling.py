"""Log-in and password-reset attempts are limited per account/email and per client address."""

import pytest
from django.core import mail
from django.urls import reverse

from changeready.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Too many attempts. Try again in 15 minutes."


@pytest.fixture
def lena(db):
    return UserFactory(email="lena@vendor.example")


def log_in(client, email, password, address="198.51.100.7"):
    return client.post(
        reverse("login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def test_sixth_bad_password_for_one_account_is_refused(client, lena, fake_clock):
    for _ in range(5):
        response = log_in(client, "lena@vendor.example", "wrong-password")
        assert response.status_code == 200
        assert MESSAGE not in response.content.decode()

    response = log_in(client, "LENA@vendor.example", "wrong-password", address="192.0.2.1")

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert MESSAGE in response.content.decode()
    # The form keeps the email so the person sees which account is locked.
    assert 'value="LENA@vendor.example"' in response.content.decode()


def test_correct_password_during_lockout_still_fails(client, lena, fake_clock):
    for _ in range(5):
        log_in(client, "lena@vendor.example", "wrong-password")

    response = log_in(client, "lena@vendor.example", PASSWORD)

    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session

    fake_clock.advance(15 * 60)
    assert log_in(client, "lena@vendor.example", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_twenty_first_failure_from_one_address_is_refused(client, lena, fake_clock):
    for n in range(20):
        assert log_in(client, f"guess{n}@vendor.example", "wrong-password").status_code == 200

    response = log_in(client, "lena@vendor.example", PASSWORD)

    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address still gets in.
    assert log_in(client, "lena@vendor.example", PASSWORD, address="192.0.2.1").status_code == 302


def test_success_resets_the_account_count(client, lena, fake_clock):
    for _ in range(4):
        log_in(client, "lena@vendor.example", "wrong-password")
    assert log_in(client, "lena@vendor.example", PASSWORD).status_code == 302
    client.logout()
    for _ in range(5):
        assert log_in(client, "lena@vendor.example", "wrong-password").status_code == 200
    assert log_in(client, "lena@vendor.example", "wrong-password").status_code == 429


def test_success_does_not_reset_the_address_count(client, lena, fake_clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for _ in range(4):
        log_in(client, "lena@vendor.example", "wrong-password")
    assert log_in(client, "lena@vendor.example", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert log_in(client, "lena@vendor.example", "wrong-password").status_code == 200

    assert log_in(client, "lena@vendor.example", PASSWORD).status_code == 429


def test_an_empty_form_is_not_counted(client, lena, fake_clock):
    for _ in range(10):
        assert log_in(client, "lena@vendor.example", "").status_code == 200
    assert log_in(client, "lena@vendor.example", PASSWORD).status_code == 302


def reset(client, email, address="198.51.100.7"):
    return client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=address)


def test_fourth_reset_request_for_one_email_in_an_hour_is_refused(client, lena):
    for _ in range(3):
        assert reset(client, "lena@vendor.example").status_code == 302
    assert len(mail.outbox) == 3

    response = reset(client, "lena@vendor.example", address="192.0.2.1")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert len(mail.outbox) == 3


def test_eleventh_reset_request_from_one_address_is_refused(client, lena):
    for n in range(10):
        assert reset(client, f"someone{n}@vendor.example").status_code == 302

    response = reset(client, "lena@vendor.example")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert mail.outbox == []
    assert reset(client, "lena@vendor.example", address="192.0.2.1").status_code == 302
    assert len(mail.outbox) == 1


def test_parallel_guesses_are_all_counted(fake_clock):
    """Each guess is counted before its password is checked, so guesses in flight
    together cannot all pass a check made before any of them was counted."""
    from concurrent.futures import ThreadPoolExecutor

    from django import forms
    from django.test import RequestFactory

    from changeready.accounts.adapter import AccountAdapter

    def guess(_):
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="198.51.100.7")
        try:
            AccountAdapter(request).pre_authenticate(request, email="lena@vendor.example")
        except forms.ValidationError:
            return "refused"
        return "checked"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(guess, range(40)))

    assert outcomes.count("checked") == 5
    assert outcomes.count("refused") == 35


def test_client_address_comes_from_the_trusted_proxy(client, lena, fake_clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        client.post(
            reverse("login"),
            {"login": f"guess{n}@vendor.example", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{n}, 198.51.100.7",
        )
    response = client.post(
        reverse("login"),
        {"login": "lena@vendor.example", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",  # another proxy instance, same client
        HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.7",
    )
    assert response.status_code == 429
