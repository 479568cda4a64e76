"""Single sign-on through a real OpenID Connect provider on loopback."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from changeready.accounts.models import User
from changeready.accounts.tests.factories import PASSWORD, UserFactory
from changeready.accounts.tests.mail import last_code
from changeready.sso.models import SsoConnection, SsoDomain
from changeready.sso.tests.oidc_provider import OidcProvider
from changeready.workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    with OidcProvider() as running:
        yield running


@pytest.fixture
def connection(workspace, provider):
    SsoDomain.objects.create(
        workspace=workspace,
        domain="acme.example",
        proof_address="it@acme.example",
        verified_at=timezone.now(),
    )
    return SsoConnection.objects.create(
        workspace=workspace,
        issuer=provider.issuer,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        default_role=Role.MEMBER,
    )


def sign_in(client, provider, email):
    """Start at our page, let the provider answer, come back; the final response
    and the callback URL used."""
    callback = provider.authorize(start_url(client, provider, email))
    assert callback.startswith("http://testserver/accounts/oidc/")
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}"), f"{parts.path}?{parts.query}"


def start_url(client, provider, email) -> str:
    """Our page that moves on to the provider; where it moves to."""
    page = client.post(reverse("sso_login"), {"email": email})
    assert page.status_code == 200, page.content
    url = page.context["url"]
    assert url.startswith(f"{provider.issuer}/authorize?")
    assert f'content="0;url={url}"'.replace("&", "&amp;") in page.content.decode()
    return url


def assert_refused(response):
    assert response.status_code == 401
    assert "Single sign-on failed" in response.content.decode()


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_new_person_signs_in_and_joins_just_in_time(client, workspace, connection, provider):
    provider.sign_in_as("sam.okafor@acme.example", name="Sam Okafor")

    response, _ = sign_in(client, provider, "sam.okafor@acme.example")

    assert response.status_code == 302
    assert response.url == reverse("workspace", args=[workspace.slug])
    user = signed_in_user(client)
    assert (user.email, user.name) == ("sam.okafor@acme.example", "Sam Okafor")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, workspace=workspace).role == Role.MEMBER
    assert client.get(response.url).status_code == 200


def test_the_connections_default_role_is_given(client, workspace, connection, provider):
    SsoConnection.objects.filter(pk=connection.pk).update(default_role=Role.VIEWER)
    provider.sign_in_as("viewer.to.be@acme.example")
    sign_in(client, provider, "viewer.to.be@acme.example")
    assert Membership.objects.get(workspace=workspace, user=signed_in_user(client)).role == (
        Role.VIEWER
    )


def test_an_existing_account_and_membership_are_kept(
    client, workspace, connection, provider, admin
):
    provider.sign_in_as("admin@acme.example")
    sign_in(client, provider, "admin@acme.example")
    assert signed_in_user(client) == admin
    assert Membership.objects.get(workspace=workspace, user=admin).role == Role.ADMIN
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)  # a verified address keeps its password


def test_a_token_from_another_issuer_is_refused(client, connection, provider):
    provider.token_issuer = "https://impostor.example"
    provider.sign_in_as("sam.okafor@acme.example")
    response, _ = sign_in(client, provider, "sam.okafor@acme.example")
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="sam.okafor@acme.example").exists()
    assert_refused(response)


def test_a_discovery_document_naming_another_issuer_is_refused(client, connection, provider):
    provider.discovery_issuer = "https://impostor.example"
    response = client.post(reverse("sso_login"), {"email": "sam.okafor@acme.example"})
    assert response.status_code == 200
    assert "does not match its single sign-on settings" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_token_with_a_bad_signature_is_refused(client, connection, provider):
    provider.sign_with_an_unpublished_key()
    provider.sign_in_as("sam.okafor@acme.example")
    response, _ = sign_in(client, provider, "sam.okafor@acme.example")
    assert_refused(response)
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="sam.okafor@acme.example").exists()


def test_a_replayed_state_is_refused(client, connection, provider):
    provider.sign_in_as("sam.okafor@acme.example")
    _, callback = sign_in(client, provider, "sam.okafor@acme.example")
    assert signed_in_user(client) is not None
    client.logout()

    response = client.get(callback)

    assert_refused(response)
    assert signed_in_user(client) is None


def test_a_state_from_another_browser_is_refused(client, connection, provider):
    provider.sign_in_as("sam.okafor@acme.example")
    parts = urlsplit(provider.authorize(start_url(client, provider, "sam.okafor@acme.example")))

    from django.test import Client

    other = Client()
    assert_refused(other.get(f"{parts.path}?{parts.query}"))
    assert signed_in_user(other) is None


def test_an_address_outside_the_verified_domains_is_refused(
    client, workspace, connection, provider
):
    """The workspace's provider may claim any address; only its own domains count."""
    victim = UserFactory(email="ceo@elsewhere.example")
    provider.sign_in_as("ceo@elsewhere.example")
    parts = urlsplit(provider.authorize(start_url(client, provider, "sam@acme.example")))

    response = client.get(f"{parts.path}?{parts.query}")

    assert response.status_code == 403
    assert "not at a domain" in response.content.decode()
    assert signed_in_user(client) is None
    assert not Membership.objects.filter(user=victim, workspace=workspace).exists()


def test_a_domain_waiting_for_its_code_does_not_count(client, workspace, connection, provider):
    SsoDomain.objects.create(
        workspace=workspace, domain="acme-labs.example", proof_address="a@acme-labs.example"
    )
    provider.sign_in_as("sam@acme-labs.example")
    parts = urlsplit(provider.authorize(start_url(client, provider, "sam@acme.example")))
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 403
    assert not User.objects.filter(email="sam@acme-labs.example").exists()


def test_an_email_without_single_sign_on_is_told_so(client, connection):
    response = client.post(reverse("sso_login"), {"email": "someone@elsewhere.example"})
    assert response.status_code == 200
    assert "No workspace signs in elsewhere.example through single sign-on" in (
        response.content.decode()
    )


class TestRequired:
    @pytest.fixture
    def required(self, connection):
        SsoConnection.objects.filter(pk=connection.pk).update(required=True)

    def test_password_sign_in_is_refused_for_the_domain(self, client, member, required):
        response = client.post(
            reverse("login"), {"login": "member@acme.example", "password": PASSWORD}
        )
        assert response.url == reverse("sso_login") + "?email=member%40acme.example"
        assert signed_in_user(client) is None

    def test_sign_in_by_code_is_refused_for_the_domain(self, client, member, required):
        client.post(reverse("account_request_login_code"), {"email": "member@acme.example"})
        code = last_code()
        response = client.post(reverse("account_confirm_login_code"), {"code": code})
        assert response.url.startswith(reverse("sso_login"))
        assert signed_in_user(client) is None

    def test_other_domains_still_use_passwords(self, client, outsider, required):
        response = client.post(
            reverse("login"), {"login": "outsider@rival.example", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert signed_in_user(client) == outsider

    def test_single_sign_on_still_works(self, client, member, provider, required):
        provider.sign_in_as("member@acme.example")
        sign_in(client, provider, "member@acme.example")
        assert signed_in_user(client) == member

    def test_api_tokens_keep_working_until_revoked(self, api_client_as, member, required):
        assert api_client_as("member").get("/api/v1/engagements").status_code == 200


def test_a_person_without_a_password_can_still_set_up_two_factor(client, connection, provider):
    """Someone who only signs in through single sign-on confirms it is them by an
    emailed code before adding a second factor (a workspace may require one)."""
    SsoConnection.objects.filter(pk=connection.pk).update(required=True)
    provider.sign_in_as("sam.okafor@acme.example")
    sign_in(client, provider, "sam.okafor@acme.example")

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_reauthentication_code"))
    client.post(response.url, {"recipient": "sam.okafor@acme.example"})
    code = last_code()
    confirmed = client.post(reverse("account_confirm_reauthentication_code"), {"code": code})
    assert confirmed.status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
