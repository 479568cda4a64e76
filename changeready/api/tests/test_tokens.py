import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changeready.api.models import ApiToken
from changeready.api.tokens import hash_token, issue_token
from changeready.conftest import MANAGERS, PEOPLE
from changeready.workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db

ENGAGEMENTS = "/api/v1/engagements"


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def owner_token(owner, workspace):
    return issue_token(membership=Membership.objects.get(user=owner), name="CRM sync")


def test_token_is_stored_only_as_a_hash(owner_token):
    token = ApiToken.objects.get()
    assert owner_token.secret.startswith("cr_")
    assert len(owner_token.secret) == 46
    assert token.token_hash == hash_token(owner_token.secret)
    assert owner_token.secret not in {token.token_hash, token.prefix, token.name}
    assert owner_token.secret.startswith(token.prefix)


def test_a_valid_token_reads_its_workspace(owner_token, engagement):
    response = bearer(owner_token.secret).get(ENGAGEMENTS)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [str(engagement.id)]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer cr_short",
        "Basic dXNlcjpwYXNz",
        "Token cr_" + "a" * 43,
        "Bearer cr_" + "a" * 43,
        "Bearer " + "x" * 5000,
    ],
)
def test_missing_malformed_or_unknown_tokens_get_401_json(db, header):
    client = Client(headers={"Authorization": header} if header else {})
    response = client.get(ENGAGEMENTS)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "message" in response.json()


def test_revoked_token_gets_401(owner_token):
    client = bearer(owner_token.secret)
    assert client.get(ENGAGEMENTS).status_code == 200
    owner_token.token.revoked_at = timezone.now()
    owner_token.token.save()
    assert client.get(ENGAGEMENTS).status_code == 401


def test_token_of_someone_who_left_the_workspace_stops_working(owner_token, owner, admin):
    Membership.objects.filter(user=owner).delete()
    assert bearer(owner_token.secret).get(ENGAGEMENTS).status_code == 401


def test_token_follows_its_creators_current_role(owner_token, owner):
    client = bearer(owner_token.secret)
    body = {"name": "New", "customer": "Acme", "go_live_date": "2027-05-03"}
    Membership.objects.filter(user=owner).update(role=Role.VIEWER)
    response = client.post(ENGAGEMENTS, body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["message"]
    Membership.objects.filter(user=owner).update(role=Role.MEMBER)
    assert client.post(ENGAGEMENTS, body, content_type="application/json").status_code == 201


def test_last_used_is_recorded_at_most_once_a_minute(owner_token, django_assert_num_queries):
    client = bearer(owner_token.secret)
    client.get(ENGAGEMENTS)
    first_use = ApiToken.objects.get().last_used_at
    assert first_use is not None
    client.get(ENGAGEMENTS)
    assert ApiToken.objects.get().last_used_at == first_use
    ApiToken.objects.update(last_used_at=first_use - timedelta(minutes=2))
    client.get(ENGAGEMENTS)
    assert ApiToken.objects.get().last_used_at > first_use


# --- the settings page ---------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_only_owners_and_admins_see_the_tokens_page(client_as, person, workspace):
    response = client_as(person).get(reverse("api_tokens", args=[workspace.slug]))
    expected = {"anonymous": 302, "outsider": 404, "member": 403, "viewer": 403}
    assert response.status_code == expected.get(person, 200)


@pytest.mark.parametrize("person", PEOPLE)
def test_creating_a_token_shows_it_once(client_as, person, workspace):
    response = client_as(person).post(
        reverse("api_tokens", args=[workspace.slug]), {"name": "PSA sync"}
    )
    if person not in MANAGERS:
        assert response.status_code in (302, 403, 404)
        assert not ApiToken.objects.exists()
        return
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert token.token_hash == hash_token(secret)
    assert token.workspace == workspace
    listing = client_as(person).get(reverse("api_tokens", args=[workspace.slug]))
    assert token.prefix in listing.content.decode()
    assert secret not in listing.content.decode()


def test_a_token_needs_a_name(client_as, workspace):
    response = client_as("owner").post(reverse("api_tokens", args=[workspace.slug]), {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_revoking_a_token_needs_a_manager_and_a_post(client_as, person, workspace, owner_token):
    url = reverse("api_token_revoke", args=[workspace.slug, owner_token.token.id])
    client = client_as(person)
    assert client.get(url).status_code == (
        200 if person in MANAGERS else {"anonymous": 302, "outsider": 404}.get(person, 403)
    )
    assert ApiToken.objects.get().revoked_at is None
    response = client.post(url)
    revoked = ApiToken.objects.get().revoked_at is not None
    assert revoked == (person in MANAGERS)
    if revoked:
        assert response.status_code == 302
        assert bearer(owner_token.secret).get(ENGAGEMENTS).status_code == 401


def test_members_page_links_to_tokens_for_managers(client_as, workspace):
    url = reverse("api_tokens", args=[workspace.slug])
    assert url in client_as("admin").get(reverse("members", args=[workspace.slug])).content.decode()
    assert (
        url
        not in client_as("member").get(reverse("members", args=[workspace.slug])).content.decode()
    )


# --- the management command ---------------------------------------------------------


def test_create_api_token_prints_only_the_token(owner, workspace):
    out = io.StringIO()
    call_command("create_api_token", email="OWNER@acme.example", workspace="acme", stdout=out)
    printed = out.getvalue()
    assert printed.count("\n") == 1
    secret = printed.strip()
    assert ApiToken.objects.get().token_hash == hash_token(secret)
    assert bearer(secret).get(ENGAGEMENTS).status_code == 200


@pytest.mark.parametrize(
    ("email", "slug"),
    [
        ("nobody@acme.example", "acme"),
        ("owner@acme.example", "no-such-workspace"),
        ("outsider@rival.example", "acme"),
    ],
)
def test_create_api_token_fails_for_unknown_user_workspace_or_non_member(
    owner, outsider, email, slug
):
    with pytest.raises(CommandError):
        call_command("create_api_token", email=email, workspace=slug)
    assert not ApiToken.objects.exists()


def test_a_token_name_with_a_control_character_is_refused(client_as, workspace):
    response = client_as("owner").post(
        reverse("api_tokens", args=[workspace.slug]), {"name": "CRM\x07sync"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Contains a control character (U+0007); retype the text."
    ]
    assert not ApiToken.objects.exists()
