"""Delete raw usage events older than the retention (run daily from cron).

The weekly rollups stay: every page reads them, so measured adoption and KPIs
of old weeks are unchanged. Deleting in chunks keeps each transaction short,
so ingestion is never blocked for long.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from changeready.usage.models import RAW_EVENT_RETENTION_DAYS, UsageEvent

CHUNK = 10_000


class Command(BaseCommand):
    help = f"Delete raw usage events older than {RAW_EVENT_RETENTION_DAYS} days (rollups stay)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=RAW_EVENT_RETENTION_DAYS,
            help=f"keep this many days of raw events (default {RAW_EVENT_RETENTION_DAYS})",
        )

    def handle(self, *args, days: int, **options):
        cutoff = timezone.now() - timedelta(days=max(days, 1))
        deleted = 0
        while True:
            ids = list(
                UsageEvent.objects.filter(occurred_at__lt=cutoff).values_list("id", flat=True)[
                    :CHUNK
                ]
            )
            if not ids:
                break
            deleted += UsageEvent.objects.filter(id__in=ids).delete()[0]
        self.stdout.write(f"Deleted {deleted} usage event(s) from before {cutoff:%Y-%m-%d %H:%M}.")
