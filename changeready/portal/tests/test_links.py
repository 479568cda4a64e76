"""Contributor links: every way a link or a step can be wrong is refused the same way."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from changeready.engagements.tests.factories import EngagementFactory
from changeready.planning.models import PlanItem
from changeready.planning.tests.factories import PlanItemFactory
from changeready.portal import links, services

pytestmark = pytest.mark.django_db


def page(client, token):
    return client.get(reverse("portal", args=[token]))


def refusal_text(response) -> str:
    return response.content.decode()


def test_the_link_opens_the_contributors_page(client, token):
    response = page(client, token)
    assert response.status_code == 200
    assert "Marcus Webb: your steps" in response.content.decode()
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def _tampered(token: str) -> str:
    value, _, signature = token.rpartition(":")
    return f"{value}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


def _expired(contributor, monkeypatch) -> str:
    """A link made just over PORTAL_LINK_MAX_AGE_DAYS ago."""
    made = time.time() - timedelta(days=30, minutes=1).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: made)
    token = links.portal_token(contributor)
    monkeypatch.undo()
    return token


def _forged_for(contributor) -> str:
    """The right payload signed with another salt (the opt-out link's, say)."""
    return signing.dumps([str(contributor.id), contributor.link_version], salt=links.OPT_OUT_SALT)


@pytest.mark.parametrize("case", ["tampered", "expired", "revoked", "forged", "garbage"])
def test_a_bad_link_is_refused_without_saying_why(
    client, contributor, token, owner, case, monkeypatch
):
    if case == "tampered":
        bad = _tampered(token)
    elif case == "expired":
        bad = _expired(contributor, monkeypatch)
    elif case == "revoked":
        services.revoke_contributor(contributor, revoked_by=owner)
        bad = token
    elif case == "forged":
        bad = _forged_for(contributor)
    else:
        bad = "not-a-token"
    response = page(client, bad)
    assert response.status_code == 404
    text = refusal_text(response)
    assert "This link does not work" in text
    for leak in ("Marcus", "Northwind", "Warehouse"):
        assert leak not in text, leak
    # Every refusal is the same page: nothing tells one case from another.
    assert text == refusal_text(page(client, "not-a-token"))


def test_a_link_expires_after_the_configured_days(client, contributor, settings, monkeypatch):
    settings.PORTAL_LINK_MAX_AGE_DAYS = 40
    assert page(client, _expired(contributor, monkeypatch)).status_code == 200
    settings.PORTAL_LINK_MAX_AGE_DAYS = 30
    assert page(client, _expired(contributor, monkeypatch)).status_code == 404


def test_inviting_again_after_revoking_does_not_revive_old_links(
    client, contributor, token, owner, marcus
):
    services.revoke_contributor(contributor, revoked_by=owner)
    again = services.invite_contributor(marcus, invited_by=owner)
    assert again.id == contributor.id
    assert page(client, token).status_code == 404
    assert page(client, links.portal_token(again)).status_code == 200


def done(client, token, item_id):
    return client.post(reverse("portal_action", args=[token, item_id, "done"]))


@pytest.mark.parametrize("whose", ["another_owner", "another_engagement", "another_workspace"])
def test_a_step_that_is_not_theirs_is_refused_and_left_alone(
    client, token, northwind, other_workspace, whose
):
    if whose == "another_owner":
        item = PlanItem.objects.filter(engagement=northwind).exclude(owner__icontains="m").first()
    elif whose == "another_engagement":
        other = EngagementFactory(workspace=northwind.workspace, customer="Northwind")
        item = PlanItemFactory(engagement=other, owner="Marcus Webb")
    else:
        item = PlanItemFactory(
            engagement=EngagementFactory(workspace=other_workspace), owner="Marcus Webb"
        )
    for action in ("done", "comment", "help"):
        response = client.post(
            reverse("portal_action", args=[token, item.id, action]), {"text": "hello"}
        )
        assert response.status_code == 404, action
        assert "This link does not work" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "planned"
    assert not item.contributor_messages.exists()


def test_an_unknown_action_is_not_found(client, token, marcus_items):
    response = client.post(reverse("portal_action", args=[token, marcus_items[0].id, "delete"]))
    assert response.status_code == 404
    assert PlanItem.objects.filter(id=marcus_items[0].id).exists()


def test_opening_the_link_changes_nothing(client, contributor, token, northwind):
    events = northwind.activity.count()
    for method in (client.get, client.head):
        assert method(reverse("portal", args=[token])).status_code == 200
    contributor.refresh_from_db()
    assert contributor.last_active_at is None
    assert northwind.activity.count() == events


def test_actions_need_a_post(client, token, marcus_items):
    response = client.get(reverse("portal_action", args=[token, marcus_items[0].id, "done"]))
    assert response.status_code == 405
    marcus_items[0].refresh_from_db()
    assert marcus_items[0].status == "planned"


def test_csrf_protects_the_forms_of_a_visitor_without_an_account(token, marcus_items):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    url = reverse("portal_action", args=[token, marcus_items[0].id, "done"])
    assert browser.post(url).status_code == 403
    browser.get(reverse("portal", args=[token]))
    csrf = browser.cookies["csrftoken"].value
    assert browser.post(url, {"csrfmiddlewaretoken": csrf}).status_code == 302
    marcus_items[0].refresh_from_db()
    assert marcus_items[0].status == "done"
