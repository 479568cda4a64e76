"""Rate limits on token-authenticated calls: failed token checks per address, requests per token."""

import pytest
from django.test import Client

from changeready.api.tokens import issue_token
from changeready.workspaces.models import Membership

pytestmark = pytest.mark.django_db

ENGAGEMENTS = "/api/v1/engagements"
WRONG_TOKEN = "cr_" + "x" * 43


def call(secret: str, address: str = "203.0.113.7"):
    return Client(headers={"Authorization": f"Bearer {secret}"}, REMOTE_ADDR=address).get(
        ENGAGEMENTS
    )


@pytest.fixture
def secret(owner, workspace):
    return issue_token(membership=Membership.objects.get(user=owner), name="CRM sync").secret


def test_an_address_guessing_tokens_is_locked_out_even_with_a_valid_one(fake_clock, secret):
    for _ in range(20):
        assert call(WRONG_TOKEN).status_code == 401
    refused = call(WRONG_TOKEN)
    assert refused.status_code == 429
    assert refused.json() == {"message": "Too many attempts. Try again in 15 minutes."}
    assert refused["Retry-After"] == str(15 * 60)
    # The lock-out comes before the token is looked at: a right guess is refused too.
    assert call(secret).status_code == 429
    # Other addresses are not affected.
    assert call(secret, address="198.51.100.2").status_code == 200

    fake_clock.advance(15 * 60)
    assert call(secret).status_code == 200


def test_a_token_over_its_rate_is_refused_until_the_window_ends(fake_clock, settings, secret):
    settings.API_REQUESTS_PER_TOKEN = 3
    for _ in range(3):
        assert call(secret).status_code == 200
    refused = call(secret)
    assert refused.status_code == 429
    assert refused.json() == {"message": "Too many requests. Try again in 60 seconds."}
    assert refused["Retry-After"] == "60"

    fake_clock.advance(30)
    assert call(secret).json()["message"] == "Too many requests. Try again in 30 seconds."
    fake_clock.advance(30)
    assert call(secret).status_code == 200


def test_the_rate_is_per_token(fake_clock, settings, owner, secret):
    settings.API_REQUESTS_PER_TOKEN = 1
    other = issue_token(membership=Membership.objects.get(user=owner), name="BI export").secret
    assert call(secret).status_code == 200
    assert call(secret).status_code == 429
    assert call(other).status_code == 200


def test_valid_calls_do_not_count_as_failures(fake_clock, settings, secret):
    settings.API_TOKEN_FAILURES_PER_ADDRESS = 2
    for _ in range(5):
        assert call(secret).status_code == 200
    assert call(WRONG_TOKEN).status_code == 401
