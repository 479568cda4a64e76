"""Store every engagement's readiness as of today (run daily from cron, after midnight).

Readiness depends on the day as well as on the data: an adoption ramp enters
its next week, a go-live arrives without the handoff accepted. Changes store
the readiness as they commit; this command stores the new day's for every
engagement, so the portfolio, the calendar and the API read it instead of
assessing. Until it has run, those pages assess what they need themselves.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from changeready.assessment.services import refresh_stored_readiness, today
from changeready.common.dates import checked_date


class Command(BaseCommand):
    help = "Store every engagement's readiness as of today (or --as-of YYYY-MM-DD)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day to assess as of (default: today)")

    def handle(self, *args, **options):
        as_of = today()
        if options["as_of"]:
            try:
                as_of = checked_date(date.fromisoformat(options["as_of"]))
            except ValueError:
                raise CommandError("--as-of must be a date like 2027-02-22.") from None
        count = refresh_stored_readiness(as_of)
        self.stdout.write(f"Stored the readiness of {count} engagement(s) as of {as_of}.")
