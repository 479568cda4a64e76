"""Settings of the worker test's processes: production settings with retries
that are due at once, so one batch run of the worker makes them."""

from changeready.settings import *  # noqa: F403

WEBHOOK_RETRY_DELAYS = (0, 0, 0)
