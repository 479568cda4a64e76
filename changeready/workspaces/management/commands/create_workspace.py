from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from changeready.workspaces.services import create_workspace


class Command(BaseCommand):
    help = "Create a workspace and its owner (an existing user, or a new one)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner", required=True, help="Owner's email address.")
        parser.add_argument(
            "--password",
            help="Password for a new owner account (without it, the owner resets one by email).",
        )

    @transaction.atomic
    def handle(self, *args, slug, name, owner, password, **options):
        User = get_user_model()
        email = owner.strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password)
        try:
            workspace = create_workspace(name=name, owner=user, slug=slug)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Created workspace {workspace.slug} owned by {user.email}")
