"""A real worker process (`manage.py db_worker`, the database queue) delivers
every event, signed and retried, to a receiver on this machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from changeready.integrations.tests.conftest import verify_standard_webhook

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"
EVENTS = {
    "engagement.readiness_changed",
    "finding.raised",
    "adoption.behind_target",
    "plan.generated",
    "handoff.sent",
    "handoff.accepted",
}

# Run in the worker's database before the worker starts: an endpoint on the
# receiver, then each emission point of the app, through its own services.
SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from changeready.accounts.models import User
from changeready.assessment.models import AssessmentSnapshot
from changeready.assessment.services import record_snapshot
from changeready.handoff import services as handoff
from changeready.assessment.events import publish_assessment_changes
from changeready.integrations.services import create_endpoint
from changeready.planning.regeneration import regenerate_plan
from changeready.planning.tests.example import create_example_engagement
from changeready.workspaces.models import Membership, Workspace

owner = User.objects.create_user(email="owner@acme.example", password="x" * 12, name="Olu")
workspace = Workspace.objects.create(slug="acme", name="Acme")
Membership.objects.create(workspace=workspace, user=owner, role="owner")
issued = create_endpoint(workspace, created_by=owner, url=URL, events=EVENTS)
engagement = create_example_engagement(workspace)
regenerate_plan(engagement, actor=owner)
yesterday = timezone.localdate() - timedelta(days=1)
AssessmentSnapshot.objects.filter(engagement=engagement).delete()
AssessmentSnapshot.objects.create(
    engagement=engagement, taken_on=yesterday, readiness_score=95, readiness_band="ready",
    assessment={"readiness": {"score": 95, "band": "ready"}, "findings": []},
)
record_snapshot(engagement.id)
behind = {"code": "adoption_behind_target", "severity": "critical", "message": "Pickers lag.",
          "subject_ids": ["pickers"], "action": "Coach them."}
publish_assessment_changes(engagement, timezone.localdate(), {
    "readiness": {"score": 40, "band": "not_ready"}, "findings": [behind],
})
engagement.cs_owner_email = "cs@acme.example"
engagement.save()
handoff.send_handoff(engagement, sent_by=owner, confirmed_open=True)
handoff.accept_handoff(engagement, membership=owner.memberships.get())
print(json.dumps({"secret": issued.secret}))
"""


def _run(args, env, timeout=120):
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.usefixtures("local_allowed")
def test_a_worker_process_delivers_signed_retried_events(tmp_path, receiver):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "changeready.integrations.tests.worker_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "TASKS_BACKEND": "database",
        # Development mode lets deliveries go to the receiver on 127.0.0.1.
        "DEBUG": "true",
        "SECRET_KEY": "worker-test-secret-key-0123456789-0123456789-0123456789",
        "EMAIL_HOST": "",
    }
    _run(["migrate", "--no-input", "-v", "0"], env)
    script = f"URL = {receiver.url!r}\nEVENTS = {sorted(EVENTS)!r}\n" + SETUP
    secret = json.loads(_run(["shell", "-c", script], env).strip().splitlines()[-1])["secret"]
    assert receiver.received == []  # queued, not sent: nothing runs until the worker does

    def fail_first_attempts(request):
        attempts = Counter(r.headers["webhook-id"] for r in receiver.received)
        return (
            (500, "busy", {}) if attempts[request.headers["webhook-id"]] == 1 else (200, "ok", {})
        )

    receiver.respond = fail_first_attempts
    _run(["db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0.1"], env)

    events = [verify_standard_webhook(secret, r.headers, r.body) for r in receiver.received]
    assert {event["type"] for event in events} == EVENTS
    # Each delivery: a failed first attempt, then its retry, with the same id.
    assert set(Counter(r.headers["webhook-id"] for r in receiver.received).values()) == {2}
