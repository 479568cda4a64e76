import pytest
from django.core.cache import cache
from django.utils import timezone

from changeready.portfolio.tests.builders import AS_OF


@pytest.fixture(autouse=True)
def empty_cache():
    """The portfolio memoises readiness in the cache; each test starts without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today_is(monkeypatch):
    """Makes `timezone.localdate()` (today for the pages, the API, the assessment and
    `refresh_readiness`) AS_OF; `today_is(day)` moves it to another day."""
    real_localdate = timezone.localdate

    def set_today(day):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: day if value is None else real_localdate(value),
        )

    set_today(AS_OF)
    return set_today
