"""Delete the stored PDF and Word playbooks that have expired (run daily from cron).

An expired document is never served; asking for a new one deletes that
engagement's expired ones, but an engagement nobody asks again would keep its
files (a few hundred KiB each) for good without this.
"""

from django.core.management.base import BaseCommand

from changeready.handoff.documents import delete_expired_documents


class Command(BaseCommand):
    help = "Delete stored PDF and Word playbooks past their expiry."

    def handle(self, *args, **options):
        deleted = delete_expired_documents()
        self.stdout.write(f"Deleted {deleted} expired playbook document(s).")
