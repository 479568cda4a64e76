"""An engagement page finds its membership among the user's memberships, the
ones the layout's workspace switcher lists: the role is that of the
engagement's workspace, whatever the user is elsewhere."""

from django.urls import reverse

from changeready.engagements.tests.factories import EngagementFactory
from changeready.workspaces.models import Role
from changeready.workspaces.tests.factories import MembershipFactory


def test_the_role_is_the_one_in_the_engagements_workspace(
    client_as, outsider, workspace, other_workspace, engagement, django_assert_num_queries
):
    # The outsider owns the rival workspace and is only a viewer of ours.
    MembershipFactory(workspace=workspace, user=outsider, role=Role.VIEWER)
    theirs = EngagementFactory(workspace=other_workspace, name="Rival rollout")
    client = client_as("outsider")

    ours_page = client.get(reverse("engagement", args=[engagement.id])).content.decode()
    assert "You are a viewer in this workspace" in ours_page
    assert reverse("engagement_edit", args=[engagement.id]) not in ours_page
    edit = reverse("engagement_edit", args=[engagement.id])
    assert client.post(edit, {"name": "Taken over"}).status_code == 403

    client.get(reverse("engagement", args=[theirs.id]))
    # Warm: session, user, memberships (once, for tenancy and the switcher),
    # engagement, the snapshots (the version of the cached page).
    with django_assert_num_queries(5):
        theirs_page = client.get(reverse("engagement", args=[theirs.id])).content.decode()
    assert "You are a viewer in this workspace" not in theirs_page
    assert reverse("engagement_edit", args=[theirs.id]) in theirs_page
    # The switcher lists both workspaces, the current one marked.
    for page in (ours_page, theirs_page):
        assert "Acme Delivery <small>(viewer)</small>" in page
        assert "Rival Delivery <small>(owner)</small>" in page
    assert "<summary>Rival Delivery</summary>" in theirs_page
    assert "<summary>Acme Delivery</summary>" in ours_page


def test_an_engagement_of_a_workspace_one_has_left_is_not_found(client_as, workspace, engagement):
    client = client_as("member")
    assert client.get(reverse("engagement", args=[engagement.id])).status_code == 200
    workspace.memberships.filter(user__email="member@acme.example").delete()
    for name in ("engagement", "assessment", "landscape"):
        assert client.get(reverse(name, args=[engagement.id])).status_code == 404
