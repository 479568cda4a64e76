"""ADKAR scores a survey measured before the source was recorded come out of the
migration as measured by a survey, dated then; every other row as an undated
estimate."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from changeready.landscape.models import Stakeholder


def every_app_at_its_latest_but(app_label: str, migration: str) -> list[tuple[str, str]]:
    """Targets that keep every other app as it is: their models then match the tables."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [leaf for leaf in leaves if leaf[0] != app_label] + [(app_label, migration)]


# Migrates backwards: rows of today's schema would stand in its way.
@pytest.mark.empty_database
@pytest.mark.django_db(transaction=True)
def test_survey_measured_rows_become_survey_scores_dated_when_measured():
    before = every_app_at_its_latest_but("landscape", "0001_initial")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    workspace = old.get_model("workspaces", "Workspace").objects.create(name="Acme", slug="acme")
    engagement = old.get_model("engagements", "Engagement").objects.create(
        workspace=workspace, name="WMS", customer="Northwind", go_live_date="2027-04-05"
    )
    stakeholders = old.get_model("landscape", "Stakeholder").objects
    stakeholders.create(
        engagement=engagement,
        name="Pickers",
        adkar_desire=3.4,
        adkar_measured_on=datetime.date(2027, 3, 1),
        adkar_responses=12,
    )
    stakeholders.create(engagement=engagement, name="Shift leads", adkar_desire=3)
    stakeholders.create(engagement=engagement, name="Buyer")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(every_app_at_its_latest_but("landscape", "0003_backfill_adkar_source"))

    migrated = {
        s.name: (s.adkar_source, s.adkar_assessed_on, s.adkar_desire)
        for s in Stakeholder.objects.all()
    }
    assert migrated == {
        "Pickers": ("survey", datetime.date(2027, 3, 1), 3.4),
        "Shift leads": ("estimated", None, 3),
        "Buyer": ("estimated", None, None),
    }
