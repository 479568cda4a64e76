import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from changeready.accounts.tests.factories import UserFactory
from changeready.conftest import MANAGERS, PEOPLE
from changeready.workspaces import services
from changeready.workspaces.models import Invitation, Membership, Role


def expected_status(person, *, manage):
    if person == "anonymous":
        return 302
    if person == "outsider":
        return 404
    if manage and person not in MANAGERS:
        return 403
    return 200


@pytest.mark.parametrize("person", PEOPLE)
def test_members_page_access(client_as, workspace, owner, person):
    response = client_as(person).get(reverse("members", args=[workspace.slug]))
    assert response.status_code == expected_status(person, manage=False)
    if response.status_code == 200:
        assert owner.email in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
def test_invite_access_and_email(client_as, workspace, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(person).post(
            reverse("members", args=[workspace.slug]),
            {"email": "new@acme.example", "role": "member"},
        )
    invited = Invitation.objects.filter(workspace=workspace, email="new@acme.example")
    if person in MANAGERS:
        assert response.status_code == 302
        assert invited.count() == 1
        assert len(mail.outbox) == 1
        assert "/invitations/" in mail.outbox[0].body
    else:
        assert response.status_code == expected_status(person, manage=True)
        assert not invited.exists()
        assert mail.outbox == []


@pytest.mark.parametrize("person", PEOPLE)
def test_change_role_access(client_as, workspace, member, person):
    membership = Membership.objects.get(user=member)
    response = client_as(person).post(
        reverse("member_role", args=[workspace.slug, membership.id]), {"role": "viewer"}
    )
    membership.refresh_from_db()
    if person in MANAGERS:
        assert response.status_code == 302
        assert membership.role == Role.VIEWER
    else:
        assert response.status_code == expected_status(person, manage=True)
        assert membership.role == Role.MEMBER


@pytest.mark.parametrize("person", PEOPLE)
def test_remove_member_access(client_as, workspace, viewer, person):
    target = Membership.objects.get(user=viewer)
    response = client_as(person).post(reverse("member_remove", args=[workspace.slug, target.id]))
    exists = Membership.objects.filter(id=target.id).exists()
    if person in MANAGERS:
        assert response.status_code == 302
        assert not exists
    else:
        assert response.status_code == expected_status(person, manage=True)
        assert exists


@pytest.mark.parametrize("person", PEOPLE)
def test_revoke_invitation_access(client_as, workspace, owner, person):
    invitation = Invitation.objects.create(
        workspace=workspace, email="x@acme.example", invited_by=owner
    )
    response = client_as(person).post(
        reverse("invitation_revoke", args=[workspace.slug, invitation.id])
    )
    invitation.refresh_from_db()
    if person in MANAGERS:
        assert response.status_code == 302
        assert invitation.revoked_at is not None
    else:
        assert response.status_code == expected_status(person, manage=True)
        assert invitation.revoked_at is None


def test_last_owner_cannot_be_demoted_or_removed(client_as, workspace, owner):
    membership = Membership.objects.get(user=owner)
    client = client_as("owner")
    client.post(reverse("member_role", args=[workspace.slug, membership.id]), {"role": "member"})
    client.post(reverse("member_remove", args=[workspace.slug, membership.id]))
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_members_offers_no_remove_for_the_last_owner(client_as, workspace, owner, admin):
    owner_membership = Membership.objects.get(user=owner)
    admin_membership = Membership.objects.get(user=admin)
    page = client_as("admin").get(reverse("members", args=[workspace.slug])).content.decode()
    assert reverse("member_remove", args=[workspace.slug, owner_membership.id]) not in page
    assert reverse("member_remove", args=[workspace.slug, admin_membership.id]) in page
    assert "The last owner: make someone else owner before removing them." in page

    confirm = client_as("admin").get(
        reverse("member_remove", args=[workspace.slug, owner_membership.id]), follow=True
    )
    assert confirm.redirect_chain == [(reverse("members", args=[workspace.slug]), 302)]
    assert services.LAST_OWNER_STAYS in confirm.content.decode()


def test_with_two_owners_either_may_be_removed(client_as, workspace, owner):
    second = Membership.objects.create(workspace=workspace, user=UserFactory(), role=Role.OWNER)
    first = Membership.objects.get(user=owner)
    page = client_as("owner").get(reverse("members", args=[workspace.slug])).content.decode()
    for membership in (first, second):
        assert reverse("member_remove", args=[workspace.slug, membership.id]) in page
    confirm = client_as("owner").get(reverse("member_remove", args=[workspace.slug, second.id]))
    assert confirm.status_code == 200


def test_an_owner_can_step_down_when_another_owner_exists(workspace, owner):
    second = Membership.objects.create(workspace=workspace, user=UserFactory(), role=Role.OWNER)
    services.change_role(Membership.objects.get(user=owner), Role.MEMBER)
    assert Membership.objects.get(user=owner).role == Role.MEMBER
    assert Membership.objects.get(id=second.id).role == Role.OWNER


class TestInvitationLink:
    @pytest.fixture
    def invitation(self, workspace, owner):
        return services.invite_member(
            workspace=workspace, email="joiner@acme.example", role=Role.VIEWER, invited_by=owner
        )

    def url(self, invitation):
        return reverse("invitation", args=[services.invitation_token(invitation)])

    def test_get_shows_the_invitation_and_changes_nothing(self, client, invitation):
        joiner = UserFactory(email="joiner@acme.example")
        client.force_login(joiner)
        response = client.get(self.url(invitation))
        assert response.status_code == 200
        assert "Acme Delivery" in response.content.decode()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None
        assert not Membership.objects.filter(user=joiner).exists()

    def test_post_accepts_with_the_invited_role(self, client, invitation, workspace):
        joiner = UserFactory(email="joiner@acme.example")
        client.force_login(joiner)
        response = client.post(self.url(invitation))
        assert response.status_code == 302
        assert Membership.objects.get(user=joiner, workspace=workspace).role == Role.VIEWER
        invitation.refresh_from_db()
        assert invitation.accepted_by == joiner

    def test_link_works_once(self, client, invitation):
        client.force_login(UserFactory(email="joiner@acme.example"))
        client.post(self.url(invitation))
        assert client.get(self.url(invitation)).status_code == 404

    def test_another_account_cannot_use_it(self, client, invitation, workspace):
        stranger = UserFactory(email="stranger@else.example")
        client.force_login(stranger)
        client.post(self.url(invitation))
        assert not Membership.objects.filter(user=stranger, workspace=workspace).exists()

    def test_revoked_link_is_refused(self, client, invitation):
        services.revoke_invitation(invitation)
        assert client.get(self.url(invitation)).status_code == 404

    def test_expired_link_is_refused(self, client, invitation, settings, monkeypatch):
        token = services.invitation_token(invitation)
        later = timezone.now().timestamp() + (settings.INVITATION_MAX_AGE_DAYS + 1) * 86400
        monkeypatch.setattr("django.core.signing.time.time", lambda: later)
        assert client.get(reverse("invitation", args=[token])).status_code == 404

    def test_tampered_token_is_refused(self, client, invitation):
        token = services.invitation_token(invitation)
        assert client.get(reverse("invitation", args=[token[:-2] + "xx"])).status_code == 404

    def test_new_user_signs_up_through_the_link_and_joins(self, client, invitation, workspace):
        path = self.url(invitation)
        response = client.post(
            reverse("signup"),
            {
                "name": "Jo Iner",
                "email": "joiner@acme.example",
                "password": "a-long-unusual-passphrase",
                "workspace_name": "",
                "next": path,
            },
        )
        assert response.status_code == 302
        assert response.url == path
        client.post(path)
        assert Membership.objects.filter(
            user__email="joiner@acme.example", workspace=workspace
        ).exists()
