import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from changeready.accounts.models import User
from changeready.engagements.models import Engagement
from changeready.engagements.services import create_engagement
from changeready.workspaces.models import Workspace
from changeready.workspaces.services import create_workspace

DEMO_EMAIL = "demo@changeready.example"
DEMO_PASSWORD = "demo-changeready"
DEMO_SLUG = "demo"
EXAMPLES = Path(__file__).resolve().parents[3] / "engagement_file" / "examples"


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
        for path in sorted(EXAMPLES.glob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            fields = document["engagement"]
            if Engagement.objects.for_workspace(workspace).filter(name=fields["name"]).exists():
                continue
            create_engagement(
                workspace=workspace,
                name=fields["name"],
                customer=fields["customer"],
                product=fields.get("product", ""),
                kickoff_date=fields.get("kickoff_date"),
                go_live_date=fields["go_live_date"],
                phase=fields.get("phase", "discovery"),
                change_summary=fields.get("change_summary", ""),
                arr=fields.get("arr"),
            )
        self.stdout.write(f"Demo workspace ready: log in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
