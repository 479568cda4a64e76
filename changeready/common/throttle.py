"""Rate limits on Django's cache, shared by every app server that shares the cache.

A limit is `limit` hits per `window_seconds` for one `key` (an email, a client
address, an API token id) within one `scope` (what is being limited, e.g.
"login-account"). Windows are fixed and aligned to the clock: a key that used
up its hits in a window is refused until that window ends. Counting is atomic
(`cache.add` then `cache.incr`), so concurrent requests cannot slip past the
limit; with Redis (`REDIS_URL`) the counts are shared between app servers, with
the default local-memory cache each process counts on its own.

    throttled = throttle.hit("api-token", str(token.id), limit=600, window_seconds=60)
    if throttled:
        return 429 with throttled.message and throttled.retry_after

`hit` counts and tells whether this hit went over the limit: count first, then
decide, so parallel requests are all counted. `check` only looks (an API token
that failed too often is refused before it is even looked up), `undo` takes one
hit back and `reset` forgets a key (a successful log-in gives back its hit on
the address and clears the account's failures).

Keys are hashed before they reach the cache: no email address is stored there,
and any string is a valid cache key.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from changeready.common import clock


@dataclass(frozen=True)
class Throttled:
    scope: str
    limit: int
    window_seconds: int
    retry_after: int  # whole seconds until the window ends, at least 1

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        unit = "minute" if self.minutes == 1 else "minutes"
        return f"Too many attempts. Try again in {self.minutes} {unit}."


def _window(window_seconds: int) -> tuple[int, int]:
    """(index of the current window, seconds until it ends)."""
    now = clock.now()
    index = int(now // window_seconds)
    retry_after = max(1, math.ceil((index + 1) * window_seconds - now))
    return index, retry_after


def _cache_key(scope: str, key: str, window_seconds: int, index: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{window_seconds}:{index}:{digest}"


def _validate(limit: int, window_seconds: int) -> None:
    if limit < 1 or window_seconds < 1:
        raise ValueError("limit and window_seconds must be at least 1")


def hit(scope: str, key: str, limit: int, window_seconds: int) -> Throttled | None:
    """Count one hit; a Throttled if it is beyond `limit` in the current window."""
    _validate(limit, window_seconds)
    index, retry_after = _window(window_seconds)
    cache_key = _cache_key(scope, key, window_seconds, index)
    # The count outlives its window a little, so it never vanishes mid-window.
    timeout = retry_after + 5
    if cache.add(cache_key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # Expired between add and incr: this hit starts a fresh count.
            cache.add(cache_key, 1, timeout=timeout)
            count = 1
    if count > limit:
        return Throttled(scope, limit, window_seconds, retry_after)
    return None


def check(scope: str, key: str, limit: int, window_seconds: int) -> Throttled | None:
    """A Throttled if `key` has used up its `limit` in the current window; counts nothing."""
    _validate(limit, window_seconds)
    index, retry_after = _window(window_seconds)
    count = cache.get(_cache_key(scope, key, window_seconds, index), 0)
    if count >= limit:
        return Throttled(scope, limit, window_seconds, retry_after)
    return None


def undo(scope: str, key: str, window_seconds: int) -> None:
    """Take back one hit of `key` in the current window (never below zero)."""
    index, _ = _window(window_seconds)
    cache_key = _cache_key(scope, key, window_seconds, index)
    try:
        if cache.decr(cache_key) < 0:
            cache.delete(cache_key)
    except ValueError:
        pass  # nothing counted in this window


def longest(*results: Throttled | None) -> Throttled | None:
    """Of several limits hit, the one that lasts longest (None if none was hit)."""
    hits = [result for result in results if result is not None]
    return max(hits, key=lambda result: result.retry_after) if hits else None


def reset(scope: str, key: str, window_seconds: int) -> None:
    """Forget the hits of `key` in the current window."""
    index, _ = _window(window_seconds)
    cache.delete(_cache_key(scope, key, window_seconds, index))


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent this request.

    Without proxies (`TRUSTED_PROXY_COUNT=0`, the default) it is REMOTE_ADDR:
    X-Forwarded-For is ignored, since any client can send one. Behind N
    proxies that each append the address they received from, the client is
    the Nth entry from the right of X-Forwarded-For; entries further left were
    written by the client and are not trusted. If the header has fewer entries
    than that, or the entry is not an IP address, REMOTE_ADDR is used (which
    throttles more, never less).
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
