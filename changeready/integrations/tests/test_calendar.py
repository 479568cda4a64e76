"""Calendar feeds: secret, revocable ICS subscription URLs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from changeready.conftest import PEOPLE
from changeready.engagements.tests.factories import EngagementFactory
from changeready.integrations.models import CalendarFeed
from changeready.integrations.services import create_calendar_feed
from changeready.planning.tests.factories import PlanItemFactory
from changeready.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def summaries(response) -> list[str]:
    calendar = Calendar.from_ical(response.content)
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


@pytest.fixture
def plan(workspace, engagement, member, other_workspace):
    """Items named after the member (by name and by email) in two engagements,
    someone else's, and one in another workspace with the member's email."""
    second = EngagementFactory(workspace=workspace, name="CRM", customer="Contoso")
    PlanItemFactory(engagement=engagement, week=-2, title="Brief the ward leads", owner=member.name)
    PlanItemFactory(
        engagement=second, week=1, title="Floor walk", owner=f" {member.email.upper()} "
    )
    PlanItemFactory(engagement=engagement, week=1, title="Train admins", owner="Someone Else")
    PlanItemFactory(
        engagement=EngagementFactory(workspace=other_workspace),
        title="Not this workspace",
        owner=member.email,
    )
    return second


def test_a_members_feed_holds_their_items_across_engagements(client, member, plan):
    issued = create_calendar_feed(Membership.objects.get(user=member))
    response = client.get(path_of(issued.url))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries(response) == [
        "Contoso · CRM: Week 1: Floor walk",
        "Northwind · WMS rollout: Week -2: Brief the ward leads",
    ]


def test_an_engagement_feed_holds_its_plan(client, member, engagement, plan):
    issued = create_calendar_feed(Membership.objects.get(user=member), engagement)
    assert summaries(client.get(path_of(issued.url))) == [
        "Week -2: Brief the ward leads",
        "Week 1: Train admins",
    ]


def test_a_revoked_or_unknown_feed_is_404(client, client_as, member, plan):
    issued = create_calendar_feed(Membership.objects.get(user=member))
    assert client.get(path_of(issued.url)).status_code == 200
    revoke = reverse("calendar_feed_revoke", args=["acme", issued.feed.id])
    assert client_as("member").post(revoke).status_code == 302
    assert client.get(path_of(issued.url)).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_feed_stops_when_its_member_leaves(client, member, plan):
    membership = Membership.objects.get(user=member)
    issued = create_calendar_feed(membership)
    membership.delete()
    assert client.get(path_of(issued.url)).status_code == 404


def test_only_a_hash_of_the_token_is_stored(member, plan):
    issued = create_calendar_feed(Membership.objects.get(user=member))
    token = issued.url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43
    assert token not in CalendarFeed.objects.get().token_hash


@pytest.mark.parametrize("person", PEOPLE)
def test_every_member_manages_their_own_feeds(client_as, workspace, engagement, person):
    client = client_as(person)
    page = client.get(reverse("calendar_feeds", args=[workspace.slug]))
    created = client.post(
        reverse("calendar_feeds", args=[workspace.slug]), {"engagement": str(engagement.id)}
    )
    if person in ("anonymous", "outsider"):
        assert page.status_code == created.status_code == {"anonymous": 302}.get(person, 404)
        assert not CalendarFeed.objects.exists()
        return
    assert page.status_code == created.status_code == 200
    feed = CalendarFeed.objects.get()
    assert feed.engagement == engagement
    assert feed.membership.user.email.startswith(person)
    assert "/calendar/" in created.text
    assert created["Cache-Control"] == "no-store"


def test_an_engagement_of_another_workspace_cannot_be_chosen(client_as, workspace, other_workspace):
    elsewhere = EngagementFactory(workspace=other_workspace)
    response = client_as("member").post(
        reverse("calendar_feeds", args=[workspace.slug]), {"engagement": str(elsewhere.id)}
    )
    assert response.status_code == 422
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_nobody_revokes_someone_elses_feed(client_as, owner, workspace, person):
    feed = create_calendar_feed(Membership.objects.get(user=owner)).feed
    revoke = reverse("calendar_feed_revoke", args=[workspace.slug, feed.id])
    client = client_as(person)
    confirm, response = client.get(revoke), client.post(revoke)
    feed.refresh_from_db()
    if person == "owner":
        assert confirm.status_code == 200
        assert response.status_code == 302
        assert feed.revoked_at is not None
        return
    assert confirm.status_code == response.status_code == {"anonymous": 302}.get(person, 404)
    assert feed.revoked_at is None


def test_a_members_feed_reads_a_fixed_number_of_queries(
    client, member, engagement, plan, django_assert_num_queries
):
    path = path_of(create_calendar_feed(Membership.objects.get(user=member)).url)
    client.get(path)
    for week in range(5):
        PlanItemFactory(engagement=engagement, week=week, owner=member.name)
    with django_assert_num_queries(3):
        assert len(summaries(client.get(path))) == 7


def test_the_feeds_page_reads_a_fixed_number_of_queries(
    client_as, member, workspace, engagement, django_assert_num_queries
):
    membership = Membership.objects.get(user=member)
    client = client_as("member")
    client.get(reverse("calendar_feeds", args=[workspace.slug]))
    for _ in range(4):
        create_calendar_feed(membership, engagement)
    with django_assert_num_queries(6):
        assert client.get(reverse("calendar_feeds", args=[workspace.slug])).status_code == 200
