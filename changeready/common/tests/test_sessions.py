"""Sessions end after SESSION_IDLE_TIMEOUT without activity and SESSION_COOKIE_AGE after log-in."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from changeready.common.sessions import LAST_ACTIVITY_KEY, LOGIN_AT_KEY

pytestmark = pytest.mark.django_db

HOUR = 3600


@pytest.fixture
def signed_in(client, owner, fake_clock):
    client.force_login(owner)
    return client


def _url():
    return reverse("workspace", args=["acme"])


def test_log_in_starts_both_clocks(signed_in, fake_clock):
    assert signed_in.session[LOGIN_AT_KEY] == int(fake_clock.now)
    assert signed_in.session[LAST_ACTIVITY_KEY] == int(fake_clock.now)


def test_idle_session_is_logged_out_with_a_message(signed_in, fake_clock, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 8 * HOUR
    fake_clock.advance(8 * HOUR - 1)
    assert signed_in.get(_url()).status_code == 200

    fake_clock.advance(8 * HOUR + 1)
    response = signed_in.get(_url())

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/w/acme/"
    assert "_auth_user_id" not in signed_in.session
    texts = [m.message for m in get_messages(response.wsgi_request)]
    assert texts == [
        "You were logged out after 8 hours without activity. Log in again to continue."
    ]
    page = signed_in.get(response.url)
    assert "8 hours without activity" in page.content.decode()


def test_activity_keeps_the_session_alive(signed_in, fake_clock):
    for _ in range(4):  # 28 hours in all, never 8 idle
        fake_clock.advance(7 * HOUR)
        assert signed_in.get(_url()).status_code == 200
    assert "_auth_user_id" in signed_in.session


def test_activity_is_written_at_most_once_a_minute(signed_in, fake_clock):
    start = signed_in.session[LAST_ACTIVITY_KEY]
    fake_clock.advance(30)
    signed_in.get(_url())
    assert signed_in.session[LAST_ACTIVITY_KEY] == start
    fake_clock.advance(31)
    signed_in.get(_url())
    assert signed_in.session[LAST_ACTIVITY_KEY] == start + 61


def test_absolute_lifetime_ends_even_an_active_session(signed_in, fake_clock, settings):
    settings.SESSION_COOKIE_AGE = 24 * HOUR
    for _ in range(3):  # 21 hours, active every 7
        fake_clock.advance(7 * HOUR)
        assert signed_in.get(_url()).status_code == 200

    fake_clock.advance(3 * HOUR + 1)
    response = signed_in.get(_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in signed_in.session
    texts = [m.message for m in get_messages(response.wsgi_request)]
    assert texts == ["Your session ended 24 hours after you logged in. Log in again to continue."]


def test_htmx_requests_are_sent_to_a_full_page_log_in(signed_in, fake_clock):
    fake_clock.advance(9 * HOUR)
    response = signed_in.get(_url(), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login")
    assert "_auth_user_id" not in signed_in.session


def test_expired_post_changes_nothing(signed_in, fake_clock, engagement):
    fake_clock.advance(9 * HOUR)
    response = signed_in.post(reverse("engagement_delete", args=[engagement.id]))
    assert response.status_code == 302
    assert response.url == reverse("login")
    engagement.refresh_from_db()  # still there


def test_sessions_from_before_the_timeouts_start_their_clocks(client, owner, fake_clock):
    client.force_login(owner)
    session = client.session
    del session[LOGIN_AT_KEY]
    del session[LAST_ACTIVITY_KEY]
    session.save()
    assert client.get(_url()).status_code == 200
    assert client.session[LOGIN_AT_KEY] == int(fake_clock.now)
