from django.core.management.base import BaseCommand, CommandError

from changeready.api.tokens import issue_token
from changeready.workspaces.models import Membership


class Command(BaseCommand):
    help = "Create an API token for a member of a workspace; prints only the token."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The member the token acts as.")
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")
        parser.add_argument("--name", default="Created from the command line")

    def handle(self, *args, email, workspace, name, **options):
        membership = (
            Membership.objects.select_related("workspace", "user")
            .filter(user__email__iexact=email.strip(), workspace__slug=workspace)
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{email} is not a member of a workspace with the slug {workspace!r} "
                "(or one of them does not exist)."
            )
        issued = issue_token(membership=membership, name=name)
        # Only the token on stdout, so scripts can capture it: TOKEN=$(… create_api_token …)
        self.stdout.write(issued.secret)
