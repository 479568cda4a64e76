"""The activity history moved from the portfolio app to its own: rows recorded
before the move are still there, and still readable, after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from changeready.activity.models import ActivityEvent

BEFORE_THE_MOVE = [("portfolio", "0001_initial"), ("activity", None)]
AFTER_THE_MOVE = [
    ("portfolio", "0002_activity_event_moves_to_activity"),
    ("activity", "0001_initial"),
]


# Migrates backwards: rows of today's schema would stand in its way.
@pytest.mark.empty_database
@pytest.mark.django_db(transaction=True)
def test_events_recorded_before_the_move_survive_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(
        [
            ("portfolio", "0001_initial"),
            ("contenttypes", "0002_remove_content_type_name"),
            # Still applied after the step back: the workspace table as it is now.
            ("workspaces", "0003_plan_window_is_derived"),
        ]
    ).apps
    workspace = old.get_model("workspaces", "Workspace").objects.create(name="Acme", slug="acme")
    old.get_model("portfolio", "ActivityEvent").objects.create(
        workspace=workspace,
        actor_label="Priya",
        verb="created",
        obj_type="engagement",
        label="WMS rollout",
        summary="added engagement “WMS rollout”",
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.get_or_create(app_label="portfolio", model="activityevent")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER_THE_MOVE)

    event = ActivityEvent.objects.get()
    assert str(event) == "Priya added engagement “WMS rollout”"
    assert event.workspace.name == "Acme"
    assert content_types.filter(app_label="activity", model="activityevent").exists()
    assert not content_types.filter(app_label="portfolio", model="activityevent").exists()
