import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """The portfolio memoises readiness in the cache; each test starts without it."""
    cache.clear()
    yield
    cache.clear()
