from django.db import transaction

from changeready.accounts.models import User
from changeready.workspaces.models import Workspace
from changeready.workspaces.services import create_workspace


@transaction.atomic
def sign_up(
    *, name: str, email: str, password: str, workspace_name: str
) -> tuple[User, Workspace | None]:
    """Create the account and, unless the person is joining by invitation, their first workspace."""
    user = User.objects.create_user(email=email, password=password, name=name)
    workspace = create_workspace(name=workspace_name, owner=user) if workspace_name else None
    return user, workspace
