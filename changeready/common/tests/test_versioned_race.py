"""Two people save the same record at the same moment: one wins, the other is told.

And writers that state no version (API PATCHes without If-Match) each change
their own field: every change survives (`test_twelve_blind_writes…`).

Each writer runs in its own thread with its own database connection, reads
version N, waits at a barrier until the other has read it too, and then saves
through `save_versioned(expected_version=N)`. The row lock in `save_versioned`
orders the two writes: exactly one succeeds, the other gets EditConflict, and
the row holds the winner's value. Without the version check both would
"succeed" and the second would silently overwrite the first.
"""

import threading

import pytest
from django.db import connection

from changeready.common.concurrency import EditConflict, save_versioned
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.landscape.services import update_stakeholder
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory
from changeready.planning.models import PlanItem
from changeready.planning.tests.factories import PlanItemFactory

# (model, factory, the field each writer sets to its own value)
RECORDS = {
    "stakeholder": (Stakeholder, StakeholderFactory, "success_definition"),
    "resistance point": (ResistancePoint, ResistancePointFactory, "owner"),
    "plan item": (PlanItem, PlanItemFactory, "owner"),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("record", RECORDS)
def test_two_writers_of_the_same_version_one_wins_one_is_refused(engagement, record):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip(
            "threads cannot share SQLite's in-memory test database; the race runs on "
            "PostgreSQL (make test-postgres, and in CI)"
        )
    model, factory, field = RECORDS[record]
    if model is ResistancePoint:
        row = factory(stakeholder=StakeholderFactory(engagement=engagement))
    else:
        row = factory(engagement=engagement)
    version = row.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def write(value: str) -> None:
        try:
            mine = model.objects.get(pk=row.pk)
            assert mine.version == version
            barrier.wait(timeout=10)  # both have read version N; now both write
            setattr(mine, field, value)
            save_versioned(mine, expected_version=version)
            outcomes[value] = "saved"
        except EditConflict:
            outcomes[value] = "conflict"
        except Exception as error:  # reported by the assertion below, not swallowed
            outcomes[value] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(value,)) for value in ("Ana", "Ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    winner = next(value for value, outcome in outcomes.items() if outcome == "saved")
    row.refresh_from_db()
    assert (getattr(row, field), row.version) == (winner, version + 1)


# Twelve fields of a stakeholder, each patched by its own writer with no version.
BLIND_CHANGES = {
    "name": "Renamed",
    "title": "Head of picking",
    "success_definition": "Fewer mispicks",
    "resistance_triggers": "Scanner lag",
    "notes": "Night shift too",
    "influence": 5,
    "interest": 1,
    "impact": 4,
    "opposed_purchase": True,
    "job_gets_harder": True,
    "authority_decreases": True,
    "desired_engagement": "leading",
}


@pytest.mark.django_db(transaction=True)
def test_twelve_blind_writes_of_different_fields_all_survive(engagement):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip(
            "threads cannot share SQLite's in-memory test database; the race runs on "
            "PostgreSQL (make test-postgres, and in CI)"
        )
    row = StakeholderFactory(
        engagement=engagement,
        kind="group",
        influence=2,
        interest=3,
        impact=2,
        desired_engagement="supportive",
    )
    barrier = threading.Barrier(len(BLIND_CHANGES))
    outcomes: dict[str, str] = {}

    def write(field: str, value) -> None:
        try:
            mine = Stakeholder.objects.get(pk=row.pk)
            barrier.wait(timeout=10)  # all have read the same version; now all write
            update_stakeholder(mine, expected_version=None, **{field: value})
            outcomes[field] = "saved"
        except Exception as error:  # reported by the assertion below, not swallowed
            outcomes[field] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=item) for item in BLIND_CHANGES.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert set(outcomes.values()) == {"saved"}, outcomes
    row.refresh_from_db()
    assert {field: getattr(row, field) for field in BLIND_CHANGES} == BLIND_CHANGES
    assert row.version == 1 + len(BLIND_CHANGES)
