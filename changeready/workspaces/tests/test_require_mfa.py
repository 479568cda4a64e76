"""A workspace may require two-factor authentication of its members."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from changeready.conftest import PEOPLE
from changeready.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def give_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def require_mfa(workspace):
    Workspace.objects.filter(pk=workspace.pk).update(require_mfa=True)


@pytest.mark.parametrize("person", PEOPLE)
def test_only_an_owner_changes_the_sign_in_rules(client_as, workspace, person, request):
    if person != "anonymous":
        give_mfa(request.getfixturevalue(person))
    response = client_as(person).post(
        reverse("sign_in_rules", args=[workspace.slug]), {"require_mfa": "on"}
    )
    workspace.refresh_from_db()
    expected = {"owner": 302, "admin": 403, "member": 403, "viewer": 403, "outsider": 404}
    if person == "anonymous":
        assert response.url.startswith(reverse("login"))
        assert not workspace.require_mfa
    else:
        assert response.status_code == expected[person]
        assert workspace.require_mfa is (person == "owner")


def test_an_owner_without_mfa_cannot_require_it(client_as, workspace, owner):
    response = client_as("owner").post(
        reverse("sign_in_rules", args=[workspace.slug]), {"require_mfa": "on"}, follow=True
    )
    assert "Set up two-factor authentication for yourself first" in response.content.decode()
    workspace.refresh_from_db()
    assert not workspace.require_mfa


def test_an_owner_turns_the_requirement_off(client_as, workspace, owner):
    require_mfa(workspace)
    give_mfa(owner)
    client_as("owner").post(reverse("sign_in_rules", args=[workspace.slug]), {})
    workspace.refresh_from_db()
    assert not workspace.require_mfa


def test_a_member_without_mfa_is_sent_to_set_it_up(client_as, workspace, engagement, member):
    require_mfa(workspace)
    client = client_as("member")
    for url in (
        reverse("workspace", args=[workspace.slug]),
        reverse("members", args=[workspace.slug]),
        reverse("engagement", args=[engagement.id]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_index")
    page = client.get(reverse("mfa_index"))
    assert "Acme Delivery asks its members to use two-factor authentication" in (
        page.content.decode()
    )
    assert "WMS rollout" not in page.content.decode()


def test_an_htmx_request_leaves_the_page(client_as, workspace, engagement, member):
    require_mfa(workspace)
    response = client_as("member").get(
        reverse("engagement", args=[engagement.id]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_a_write_is_refused_before_it_happens(client_as, workspace, engagement, member):
    require_mfa(workspace)
    response = client_as("member").post(
        reverse("engagement_edit", args=[engagement.id]), {"name": "Renamed"}
    )
    assert response.url == reverse("mfa_index")
    engagement.refresh_from_db()
    assert engagement.name == "WMS rollout"


def test_a_member_with_mfa_gets_in(client_as, workspace, engagement, member):
    require_mfa(workspace)
    give_mfa(member)
    assert client_as("member").get(reverse("engagement", args=[engagement.id])).status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(client_as, workspace, member):
    require_mfa(workspace)
    Authenticator.objects.create(user=member, type=Authenticator.Type.RECOVERY_CODES, data={})
    response = client_as("member").get(reverse("workspace", args=[workspace.slug]))
    assert response.url == reverse("mfa_index")


def test_other_workspaces_are_not_affected(client_as, workspace, other_workspace, outsider):
    require_mfa(workspace)
    response = client_as("outsider").get(reverse("workspace", args=[other_workspace.slug]))
    assert response.status_code == 200


def test_api_tokens_keep_working(api_client_as, workspace, engagement, member):
    require_mfa(workspace)
    response = api_client_as("member").get("/api/v1/engagements")
    assert response.status_code == 200
    assert "WMS rollout" in response.content.decode()


def test_managers_see_who_uses_mfa(client_as, workspace, member):
    give_mfa(member)
    page = client_as("owner").get(reverse("members", args=[workspace.slug]))
    rows = {m.user.email: m.uses_mfa for m in page.context["members"]}
    assert rows == {
        "owner@acme.example": False,
        "admin@acme.example": False,
        "member@acme.example": True,
        "viewer@acme.example": False,
    }
    html = page.content.decode()
    assert "Two-factor" in html
    assert "Members must use two-factor authentication" in html
    member_page = client_as("member").get(reverse("members", args=[workspace.slug]))
    assert '<th scope="col">Two-factor</th>' not in member_page.content.decode()
    assert "Members must use two-factor authentication" not in member_page.content.decode()
