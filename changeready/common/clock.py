"""The wall clock, in one replaceable place.

Session timeouts and throttle windows read the time through `clock.now()` (call
it through the module, `clock.now()`, not `from ... import now`), so tests move
time forward with `monkeypatch.setattr(clock, "now", ...)` instead of sleeping.
"""

from __future__ import annotations

import time


def now() -> float:
    """Seconds since the epoch."""
    return time.time()
