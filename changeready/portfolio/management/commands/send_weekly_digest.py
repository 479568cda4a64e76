"""Send the weekly digest to every subscribed member (run weekly from cron, e.g. Monday 07:00).

The command sends directly rather than enqueueing a task: it is itself the
scheduled job, one email per member and workspace, and it records each
delivery so a second run in the same week sends nothing twice.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from changeready.portfolio.digest import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Email each member their plan items due this week and next, and readiness drops; "
        "each customer contributor their own steps."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day to send for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would get a digest; send nothing"
        )

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of must be a date like 2027-02-22.") from None
        run = send_weekly_digests(day, dry_run=dry_run)
        for digest in run.planned:
            self.stdout.write(
                f"{'would send' if dry_run else 'to'} {digest.recipient} "
                f"({digest.workspace.slug}): {digest.subject}"
            )
        if dry_run:
            self.stdout.write(f"Dry run: {len(run.planned)} digest(s) would be sent, none sent.")
        else:
            self.stdout.write(
                f"Sent {run.sent} digest(s); {run.already_sent} already sent this week; "
                f"{run.failed} failed."
            )
        if run.failed:
            raise CommandError(f"{run.failed} digest(s) could not be sent; see the log.")
