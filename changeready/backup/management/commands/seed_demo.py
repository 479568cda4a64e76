from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from changeready.accounts.models import User
from changeready.assessment.services import record_snapshot, today
from changeready.engagement_file.importing import import_engagement, parse
from changeready.engagements.models import Engagement
from changeready.workspaces.models import Workspace
from changeready.workspaces.services import create_workspace

DEMO_EMAIL = "demo@changeready.example"
DEMO_PASSWORD = "demo-changeready"
DEMO_SLUG = "demo"
EXAMPLES = Path(__file__).resolve().parents[3] / "engagement_file" / "examples"
# Weekly readiness snapshots before today, so "Readiness over time" has a line
# to show: each is the assessment of the demo's data as of that day.
HISTORY_WEEKS = 8


class Command(BaseCommand):
    help = "Create (idempotently) the demo workspace, its login and example engagements."

    @transaction.atomic
    def handle(self, *args, **options):
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(
                email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Dana Demo"
            )
        workspace = Workspace.objects.filter(slug=DEMO_SLUG).first()
        if workspace is None:
            workspace = create_workspace(name="Demo Delivery Team", owner=user, slug=DEMO_SLUG)
        # The examples go through the same import as a user's upload, so the
        # demo always shows what the importer really produces.
        for path in sorted(EXAMPLES.glob("*.json")):
            document = parse(path.read_bytes())
            name = document["engagement"]["name"]
            if Engagement.objects.for_workspace(workspace).filter(name=name).exists():
                continue
            import_engagement(workspace, document)
        for engagement in Engagement.objects.for_workspace(workspace):
            if engagement.snapshots.count() < 2:
                for weeks_ago in range(HISTORY_WEEKS, 0, -1):
                    record_snapshot(engagement.id, on=today() - timedelta(weeks=weeks_ago))
        self.stdout.write(f"Demo workspace ready: log in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
