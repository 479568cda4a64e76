from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from changeready.backup.services import BackupInvalid, import_workspace, parse_backup


class Command(BaseCommand):
    help = "Restore a workspace from a backup written by export_workspace (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="The backup file.")
        parser.add_argument("--slug", help="Restore under this slug instead of the backup's.")

    def handle(self, *args, input, slug, **options):
        try:
            raw = Path(input).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {input}: {error.strerror}.") from None
        try:
            summary = import_workspace(parse_backup(raw), slug=slug)
        except BackupInvalid as error:
            for line in error.lines():
                self.stderr.write(f"  {line}")
            raise CommandError(f"{error.message} Nothing was imported.") from None
        existing = len(summary.existing_accounts)
        self.stdout.write(
            f"Imported workspace {summary.workspace.slug}: {summary.engagements} engagements, "
            f"{summary.members} members ({existing} with an existing account kept as it was)."
        )
