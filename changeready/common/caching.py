"""One way to keep a computed value in Django's cache under the version it was computed from.

Entries are never deleted: a reader compares the version stored with the
entry to the version now (an engagement's `updated_at`, a workspace's stamp…)
and computes afresh when they differ. The cache's key prefix carries the
release (settings.RELEASE), so a deploy starts afresh too.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache

Value = TypeVar("Value")


def kept_for_version(
    key: str, version: Hashable, seconds: int, build: Callable[[], tuple[Value, bool]]
) -> Value:
    """The value kept under `key` if it was computed for `version`, else `build`'s.

    `build` returns the value and whether it may be kept (an answer to a
    query nobody else would ask need not be); a kept value lives `seconds`.
    """
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    value, keep = build()
    if keep:
        cache.set(key, (version, value), seconds)
    return value
