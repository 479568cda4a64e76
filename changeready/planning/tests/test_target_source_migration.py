"""The migration that gives adoption targets a source keeps customer commitments manual."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from changeready.planning.models import AdoptionTarget

BEFORE = [("planning", "0003_adoption_actual_source")]
AFTER = [("planning", "0004_plan_v2_items_and_target_source")]


# Migrates backwards: rows of today's schema would stand in its way.
@pytest.mark.empty_database
@pytest.mark.django_db(transaction=True)
def test_typed_and_imported_targets_become_manual_generated_ones_stay():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # The other apps stay migrated: their tables as they are now.
    old = executor.loader.project_state(
        [
            *BEFORE,
            ("workspaces", "0003_plan_window_is_derived"),
            ("engagements", "0002_adoption_mode_blackouts_derived_window"),
            ("landscape", "0003_backfill_adkar_source"),
        ]
    ).apps
    workspace = old.get_model("workspaces", "Workspace").objects.create(name="A", slug="a")
    engagement_model = old.get_model("engagements", "Engagement")
    stakeholder_model = old.get_model("landscape", "Stakeholder")
    target_model = old.get_model("planning", "AdoptionTarget")

    def engagement_with_targets(name, *, generated, edited_week=None):
        engagement = engagement_model.objects.create(
            workspace=workspace, name=name, customer="C", go_live_date=datetime.date(2027, 4, 5)
        )
        if generated:
            old.get_model("planning", "PlanState").objects.create(
                engagement=engagement,
                generated_at=datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC),
            )
        group = stakeholder_model.objects.create(engagement=engagement, name=f"{name} users")
        for week in (1, 2):
            target_model.objects.create(
                engagement=engagement,
                stakeholder=group,
                week=week,
                target_pct=40.0 + week,
                edited_by_hand=week == edited_week,
            )
        return engagement.pk

    generated = engagement_with_targets("Generated", generated=True, edited_week=2)
    imported = engagement_with_targets("Imported", generated=False)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    sources = {
        (target.engagement_id, target.week): target.source
        for target in AdoptionTarget.objects.all()
    }
    assert sources == {
        (generated, 1): "generated",
        (generated, 2): "manual",
        (imported, 1): "manual",
        (imported, 2): "manual",
    }
