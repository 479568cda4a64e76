"""The owner's single sign-on page: the connection, and domains proven by an emailed code."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from changeready.conftest import PEOPLE
from changeready.sso import services
from changeready.sso.models import SsoConnection, SsoDomain
from changeready.workspaces.models import Role

pytestmark = pytest.mark.django_db

CONNECTION = {
    "issuer": "https://acme.okta.example/",
    "client_id": "0oa1changeready",
    "client_secret": "very-secret",
    "default_role": "member",
}
EXPECTED = {"owner": 200, "admin": 403, "member": 403, "viewer": 403, "outsider": 404}


def mailed_code() -> str:
    return re.search(r"^(\d{8})$", mail.outbox[-1].body, re.MULTILINE).group(1)


@pytest.mark.parametrize("person", PEOPLE)
def test_only_an_owner_sees_the_page(client_as, workspace, owner, person):
    response = client_as(person).get(reverse("sso_settings", args=[workspace.slug]))
    if person == "anonymous":
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == EXPECTED[person]


@pytest.mark.parametrize("person", PEOPLE)
def test_only_an_owner_saves_a_connection(client_as, workspace, owner, person):
    response = client_as(person).post(reverse("sso_settings", args=[workspace.slug]), CONNECTION)
    saved = SsoConnection.objects.filter(workspace=workspace)
    if person == "owner":
        assert response.status_code == 302
        connection = saved.get()
        assert (connection.issuer, connection.client_id, connection.client_secret) == (
            "https://acme.okta.example",
            "0oa1changeready",
            "very-secret",
        )
    else:
        assert response.status_code == (302 if person == "anonymous" else EXPECTED[person])
        assert not saved.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_only_an_owner_claims_a_domain(
    client_as, workspace, owner, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(person).post(
            reverse("sso_domain_add", args=[workspace.slug]),
            {"domain": "acme.example", "address": "it@acme.example"},
        )
    claimed = SsoDomain.objects.filter(workspace=workspace)
    if person == "owner":
        assert response.status_code == 302
        assert claimed.count() == 1
        assert mail.outbox[-1].to == ["it@acme.example"]
    else:
        assert response.status_code == (302 if person == "anonymous" else EXPECTED[person])
        assert not claimed.exists()
        assert mail.outbox == []


def test_the_page_shows_the_redirect_uri_and_never_the_secret(client_as, workspace, owner):
    client = client_as("owner")
    client.post(reverse("sso_settings", args=[workspace.slug]), CONNECTION)
    connection = SsoConnection.objects.get()
    page = client.get(reverse("sso_settings", args=[workspace.slug])).content.decode()
    assert f"/accounts/oidc/{connection.provider_id}/login/callback/" in page
    assert "very-secret" not in page


def test_a_blank_secret_keeps_the_saved_one_but_a_first_save_needs_it(client_as, workspace, owner):
    client = client_as("owner")
    url = reverse("sso_settings", args=[workspace.slug])
    response = client.post(url, {**CONNECTION, "client_secret": ""})
    assert "Enter the client secret." in response.content.decode()
    assert 'value="0oa1changeready"' in response.content.decode()
    assert not SsoConnection.objects.exists()

    client.post(url, CONNECTION)
    client.post(url, {**CONNECTION, "client_secret": "", "required": "on"})
    connection = SsoConnection.objects.get()
    assert connection.client_secret == "very-secret"
    assert connection.required


def test_an_owner_cannot_give_the_owner_role_by_sso(client_as, workspace, owner):
    response = client_as("owner").post(
        reverse("sso_settings", args=[workspace.slug]), {**CONNECTION, "default_role": "owner"}
    )
    assert response.status_code == 200
    assert "default_role" in response.context["connection_form"].errors
    assert not SsoConnection.objects.exists()


def test_a_domain_is_verified_by_the_mailed_code(
    client_as, workspace, owner, django_capture_on_commit_callbacks
):
    client = client_as("owner")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("sso_domain_add", args=[workspace.slug]),
            {"domain": "ACME.example", "address": "IT@acme.example"},
        )
    domain = SsoDomain.objects.get()
    assert (domain.domain, domain.is_verified) == ("acme.example", False)
    code = mailed_code()
    assert code not in domain.code_hash

    verify = reverse("sso_domain_verify", args=[workspace.slug, domain.id])
    wrong = "00000000" if code != "00000000" else "11111111"
    page = client.post(verify, {"code": wrong}, follow=True)
    assert "That code is not right" in page.content.decode()
    domain.refresh_from_db()
    assert not domain.is_verified

    page = client.post(verify, {"code": code}, follow=True)
    assert "acme.example is verified." in page.content.decode()
    domain.refresh_from_db()
    assert domain.is_verified


def test_the_address_must_be_at_the_domain(client_as, workspace, owner):
    response = client_as("owner").post(
        reverse("sso_domain_add", args=[workspace.slug]),
        {"domain": "acme.example", "address": "me@gmail.example"},
    )
    assert response.status_code == 200
    assert "Enter an address at acme.example." in response.content.decode()
    assert not SsoDomain.objects.exists()
    assert mail.outbox == []


def test_a_domain_of_another_workspace_cannot_be_claimed(
    client_as, workspace, other_workspace, owner
):
    SsoDomain.objects.create(
        workspace=other_workspace,
        domain="acme.example",
        proof_address="it@acme.example",
        verified_at=timezone.now(),
    )
    response = client_as("owner").post(
        reverse("sso_domain_add", args=[workspace.slug]),
        {"domain": "acme.example", "address": "it@acme.example"},
    )
    assert "acme.example belongs to another workspace." in response.content.decode()
    assert mail.outbox == []


def test_wrong_codes_run_out_and_codes_expire(
    workspace, monkeypatch, django_capture_on_commit_callbacks
):
    domain = services.start_domain_verification(
        workspace, domain="acme.example", address="it@acme.example"
    )
    for _ in range(services.MAX_CODE_ATTEMPTS):
        with pytest.raises(services.ValidationError, match="not right"):
            services.verify_domain(domain, "not-the-code")
    with pytest.raises(services.ValidationError, match="Too many wrong codes"):
        services.verify_domain(domain, "not-the-code")

    with django_capture_on_commit_callbacks(execute=True):
        domain = services.start_domain_verification(
            workspace, domain="acme.example", address="it@acme.example"
        )
    code = mailed_code()
    later = timezone.now() + services.CODE_LIFETIME + timezone.timedelta(seconds=1)
    monkeypatch.setattr("changeready.sso.services.timezone.now", lambda: later)
    with pytest.raises(services.ValidationError, match="expired"):
        services.verify_domain(domain, code)


def test_a_code_for_another_domain_does_not_verify_this_one(
    workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.start_domain_verification(
            workspace, domain="acme.example", address="it@acme.example"
        )
        services.start_domain_verification(
            workspace, domain="acme-labs.example", address="it@acme-labs.example"
        )
    with pytest.raises(services.ValidationError):
        services.verify_domain(first, mailed_code())


def test_default_role_is_member(workspace):
    connection = services.save_connection(
        workspace,
        issuer="https://accounts.google.com",
        client_id="x.apps.googleusercontent.com",
        client_secret="s",
        default_role=Role.MEMBER,
        required=False,
    )
    assert connection.default_role == Role.MEMBER


@pytest.fixture
def verified_domain(workspace):
    return SsoDomain.objects.create(
        workspace=workspace,
        domain="acme.example",
        proof_address="it@acme.example",
        verified_at=timezone.now(),
    )


@pytest.fixture
def saved_connection(workspace):
    return SsoConnection.objects.create(
        workspace=workspace, issuer="https://idp.example", client_id="c", client_secret="s"
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_only_an_owner_removes_a_domain_after_confirming(
    client_as, workspace, owner, verified_domain, person
):
    url = reverse("sso_domain_remove", args=[workspace.slug, verified_domain.id])
    client = client_as(person)
    page = client.get(url)
    if person == "owner":
        assert page.status_code == 200
        assert "Remove acme.example?" in page.content.decode()
        assert SsoDomain.objects.exists()  # GET only asks
    response = client.post(url)
    if person == "owner":
        assert response.status_code == 302
        assert not SsoDomain.objects.exists()
    else:
        assert response.status_code == (302 if person == "anonymous" else EXPECTED[person])
        assert SsoDomain.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_only_an_owner_turns_single_sign_on_off(
    client_as, workspace, owner, saved_connection, verified_domain, person
):
    url = reverse("sso_remove", args=[workspace.slug])
    client = client_as(person)
    if person == "owner":
        assert client.get(url).status_code == 200
        assert SsoConnection.objects.exists()
    response = client.post(url)
    if person == "owner":
        assert response.status_code == 302
        assert not SsoConnection.objects.exists()
        assert SsoDomain.objects.exists()  # ready for another provider
    else:
        assert response.status_code == (302 if person == "anonymous" else EXPECTED[person])
        assert SsoConnection.objects.exists()


def test_a_removed_domain_is_no_longer_held_to_single_sign_on(
    client, workspace, member, saved_connection, verified_domain
):
    SsoConnection.objects.filter(pk=saved_connection.pk).update(required=True)
    assert services.sso_required_for(member.email)
    services.remove_domain(verified_domain)
    assert not services.sso_required_for(member.email)
