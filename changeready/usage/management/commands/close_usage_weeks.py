"""Write the measured figures of weeks that ended (run daily from cron, after midnight).

Ingestion writes a week's measured adoption and computed KPI values once the
week is over, when the next batch arrives. An engagement whose product sends
nothing for a while still gets its finished weeks from this command.
"""

from django.core.management.base import BaseCommand

from changeready.usage.models import UsageState
from changeready.usage.rollups import refresh_figures


class Command(BaseCommand):
    help = "Write measured adoption and computed KPIs of finished weeks for every engagement."

    def handle(self, *args, **options):
        states = UsageState.objects.select_related("engagement")
        count = 0
        for state in states.iterator():
            refresh_figures(state.engagement, state=state)
            count += 1
        self.stdout.write(f"Refreshed the measured figures of {count} engagement(s).")
