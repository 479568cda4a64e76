from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from changeready.accounts.models import User
from changeready.assessment.models import AssessmentSnapshot
from changeready.assessment.services import readiness_history, today
from changeready.engagements.models import Engagement
from changeready.workspaces.models import Membership, Role, Workspace

pytestmark = pytest.mark.django_db


def test_create_workspace_creates_workspace_and_owner(capsys):
    call_command(
        "create_workspace",
        slug="globex",
        name="Globex",
        owner="Lead@Globex.example",
        password="pw-long-enough-1",
    )
    workspace = Workspace.objects.get(slug="globex")
    user = User.objects.get(email="lead@globex.example")
    assert user.check_password("pw-long-enough-1")
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.OWNER
    assert "globex" in capsys.readouterr().out


def test_create_workspace_fails_clearly_when_the_slug_is_taken(workspace):
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_workspace", slug=workspace.slug, name="Other", owner="b@acme.example")
    assert not User.objects.filter(email="b@acme.example").exists()


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (
        Workspace.objects.count(),
        Engagement.objects.count(),
        User.objects.count(),
        AssessmentSnapshot.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Workspace.objects.count(),
        Engagement.objects.count(),
        User.objects.count(),
        AssessmentSnapshot.objects.count(),
    ) == counts
    assert counts[1] >= 1


def test_the_demo_shows_readiness_over_time(client):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="demo@changeready.example"))
    for engagement in Engagement.objects.all():
        history = readiness_history(engagement)
        weekly = [today() - timedelta(weeks=weeks) for weeks in range(8, 0, -1)]
        assert [taken_on for taken_on, _ in history][:8] == weekly, engagement.name
        page = client.get(reverse("assessment", args=[engagement.id])).content.decode()
        assert "The history fills in as the engagement changes" not in page
