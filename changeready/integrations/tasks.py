"""Background work: one delivery attempt per task (django-tasks).

Queued on commit by `delivery.queue_delivery`; the database backend runs it
in `manage.py db_worker`. The argument is the delivery's id as text so every
backend can serialise it.
"""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook(delivery_id: str) -> str:
    """Make the delivery's next attempt; its status afterwards."""
    from changeready.integrations.delivery import attempt_delivery

    return attempt_delivery(delivery_id)
