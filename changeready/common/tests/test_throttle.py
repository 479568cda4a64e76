import pytest
from django.test import RequestFactory

from changeready.common import throttle

WINDOW = 900


def test_hits_up_to_the_limit_pass_then_are_throttled(fake_clock):
    results = [throttle.hit("t", "k", 3, WINDOW) for _ in range(4)]
    assert results[:3] == [None, None, None]
    assert results[3] == throttle.Throttled("t", 3, WINDOW, retry_after=WINDOW)
    assert results[3].message == "Too many attempts. Try again in 15 minutes."


def test_keys_and_scopes_count_separately(fake_clock):
    assert throttle.hit("t", "a", 1, WINDOW) is None
    assert throttle.hit("t", "b", 1, WINDOW) is None
    assert throttle.hit("u", "a", 1, WINDOW) is None
    assert throttle.hit("t", "a", 1, WINDOW) is not None


def test_a_new_window_starts_a_new_count(fake_clock):
    throttle.hit("t", "k", 1, WINDOW)
    fake_clock.advance(WINDOW - 61)
    throttled = throttle.hit("t", "k", 1, WINDOW)
    assert throttled.retry_after == 61
    assert throttled.message == "Too many attempts. Try again in 2 minutes."
    fake_clock.advance(61)
    assert throttle.hit("t", "k", 1, WINDOW) is None


def test_check_looks_without_counting_and_reset_forgets(fake_clock):
    assert throttle.check("t", "k", 2, WINDOW) is None
    assert throttle.check("t", "k", 2, WINDOW) is None
    throttle.hit("t", "k", 2, WINDOW)
    assert throttle.check("t", "k", 2, WINDOW) is None
    throttle.hit("t", "k", 2, WINDOW)
    assert throttle.check("t", "k", 2, WINDOW) is not None
    throttle.reset("t", "k", WINDOW)
    assert throttle.check("t", "k", 2, WINDOW) is None


def test_a_one_minute_message_is_singular(fake_clock):
    throttle.hit("t", "k", 1, 60)
    assert throttle.hit("t", "k", 1, 60).message == "Too many attempts. Try again in 1 minute."


def test_nonsense_limits_are_refused():
    with pytest.raises(ValueError):
        throttle.hit("t", "k", 0, WINDOW)


def _request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert throttle.client_ip(_request(forwarded="198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        # The client can write anything on the left; only the proxies' entries count.
        (1, "10.9.9.9, 198.51.100.1", "198.51.100.1"),
        (2, "10.9.9.9, 198.51.100.1, 192.0.2.7", "198.51.100.1"),
        (2, "198.51.100.1", "203.0.113.9"),  # fewer entries than proxies
        (1, "not-an-address", "203.0.113.9"),
        (1, "", "203.0.113.9"),
    ],
)
def test_client_address_behind_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert throttle.client_ip(_request(forwarded=forwarded)) == expected
