from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from changeready.backup.services import dumps, export_workspace
from changeready.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Write a whole workspace (members, playbook rules, every engagement) as a backup."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, workspace, output, **options):
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            raise CommandError(f"There is no workspace with the slug {workspace!r}.")
        text = dumps(export_workspace(found))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported workspace {found.slug} to {output}")
