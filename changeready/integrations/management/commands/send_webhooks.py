"""Send the webhook deliveries that are due (run every minute from cron when
there is no worker, i.e. with TASKS_BACKEND=immediate).

With the database queue the worker sends deliveries and their retries by
itself and this command is not needed; running it anyway sends nothing twice.
"""

from django.core.management.base import BaseCommand

from changeready.integrations.delivery import send_due_deliveries


class Command(BaseCommand):
    help = "Attempt every webhook delivery that is due (new ones and retries whose time came)."

    def handle(self, *args, **options):
        attempted = send_due_deliveries()
        self.stdout.write(f"{attempted} deliver{'y' if attempted == 1 else 'ies'} attempted.")
