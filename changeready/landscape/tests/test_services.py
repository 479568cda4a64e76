import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from changeready.common.concurrency import EditConflict
from changeready.landscape import services
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def test_duplicate_name_in_an_engagement_is_reported(engagement):
    services.create_stakeholder(engagement, name="Shift leads", role="people_manager")
    with pytest.raises(ValidationError, match="already exists"):
        services.create_stakeholder(engagement, name="shift LEADS", role="people_manager")


def test_person_must_join_a_group_of_the_same_engagement(engagement):
    foreign_group = StakeholderFactory(kind="group")
    with pytest.raises(ValidationError) as error:
        services.create_stakeholder(engagement, name="Tom", kind="person", group=foreign_group)
    assert "group" in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [("influence", 0), ("impact", 6), ("involvement", ["lunch"]), ("role", "janitor")],
)
def test_invalid_values_are_refused_with_the_field_named(engagement, field, value):
    with pytest.raises(ValidationError) as error:
        services.create_stakeholder(engagement, name="Pickers", **{field: value})
    assert field in error.value.message_dict


def test_stale_update_is_refused_and_changes_nothing(engagement):
    stakeholder = services.create_stakeholder(engagement, name="Pickers")
    services.update_stakeholder(stakeholder, expected_version=1, influence=4)
    with pytest.raises(EditConflict):
        services.update_stakeholder(stakeholder, expected_version=1, influence=1)
    stakeholder.refresh_from_db()
    assert (stakeholder.influence, stakeholder.version) == (4, 2)


def test_resistance_point_must_name_a_stakeholder_of_the_engagement(engagement):
    stranger = StakeholderFactory()
    with pytest.raises(ValidationError):
        services.create_resistance_point(
            engagement, stakeholder=stranger, source="habit", severity=3
        )


def test_import_without_row_numbers_creates_everything_or_nothing(engagement):
    rows = [
        {"name": "Tom", "kind": "person", "group": "leads"},
        {"key": "leads", "name": "Shift leads", "kind": "group", "headcount": 36},
    ]
    created = services.import_stakeholders(engagement, rows)
    assert [s.name for s in created] == ["Tom", "Shift leads"]
    assert created[0].group == created[1]
    with pytest.raises(services.StakeholderImportError) as error:
        services.import_stakeholders(
            engagement, [{"name": "Fine"}, {"name": "Bad", "influence": 9}]
        )
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "influence")]
    assert engagement.stakeholders.count() == 2


def test_opposition_answer_is_recorded_and_undone(engagement):
    services.set_opposition_reviewed(engagement, True)
    engagement.refresh_from_db()
    assert engagement.opposition_reviewed
    services.set_opposition_reviewed(engagement, False)
    engagement.refresh_from_db()
    assert not engagement.opposition_reviewed


# Entering a strategy and an owner on an open point plans it (docs/domain.md, "Has a
# mitigation plan"), unless the user chose another status in the same edit.
@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"strategy": "support", "owner": "Lena Kovacs"}, "planned"),
        ({"strategy": "support", "owner": "Lena Kovacs", "status": "open"}, "planned"),
        ({"strategy": "support", "owner": "Lena Kovacs", "status": "in_progress"}, "in_progress"),
        ({"strategy": "support", "owner": "Lena Kovacs", "status": "accepted"}, "accepted"),
        ({"strategy": "support"}, "open"),
        ({"strategy": "support", "owner": "  "}, "open"),
        ({"owner": "Lena Kovacs"}, "open"),
    ],
)
def test_a_new_point_with_strategy_and_owner_is_planned(engagement, fields, status):
    stakeholder = StakeholderFactory(engagement=engagement)
    point = services.create_resistance_point(
        engagement, stakeholder=stakeholder, source="habit", severity=3, **fields
    )
    point.refresh_from_db()
    assert point.status == status


@pytest.mark.parametrize(
    ("stored", "changes", "status"),
    [
        # Completing the mitigation of an open point plans it...
        ({}, {"strategy": "coach", "owner": "Ana"}, "planned"),
        ({"strategy": "coach"}, {"owner": "Ana"}, "planned"),
        ({"strategy": "coach"}, {"owner": "Ana", "status": "open"}, "planned"),  # unchanged
        # ...unless the user chose a status in the same edit, "open" included.
        ({}, {"strategy": "coach", "owner": "Ana", "status": "in_progress"}, "in_progress"),
        (
            {"strategy": "coach", "owner": "Ana", "status": "planned"},
            {"status": "open"},
            "open",
        ),
        # Nothing to plan with.
        ({}, {"strategy": "coach"}, "open"),
        ({"strategy": "coach", "owner": "Ana", "status": "resolved"}, {"owner": "Bo"}, "resolved"),
    ],
)
def test_entering_strategy_and_owner_on_an_open_point_plans_it(engagement, stored, changes, status):
    point = ResistancePointFactory(stakeholder=StakeholderFactory(engagement=engagement), **stored)
    services.update_resistance_point(point, expected_version=None, **changes)
    point.refresh_from_db()
    assert point.status == status


def test_the_status_planned_for_the_user_is_in_the_history(engagement):
    point = ResistancePointFactory(stakeholder=StakeholderFactory(engagement=engagement))
    services.update_resistance_point(point, expected_version=None, strategy="coach", owner="Ana")
    (event,) = engagement.activity.filter(verb="updated")
    assert event.changes["status"] == ["Open", "Planned"]


# ADKAR scores typed by hand are an estimate dated the day they were typed.
def test_scores_typed_on_a_new_stakeholder_are_dated_estimates(engagement):
    typed = services.create_stakeholder(engagement, name="Pickers", adkar_desire=2)
    untyped = services.create_stakeholder(engagement, name="Buyer")
    assert (typed.adkar_source, typed.adkar_assessed_on) == ("estimated", timezone.localdate())
    assert (untyped.adkar_source, untyped.adkar_assessed_on) == ("estimated", None)


def test_editing_a_measured_score_by_hand_makes_it_an_estimate_of_today(engagement):
    measured = datetime.date(2027, 1, 10)
    stakeholder = StakeholderFactory(
        engagement=engagement, adkar_desire=3.4, adkar_source="survey", adkar_assessed_on=measured
    )
    services.update_stakeholder(stakeholder, expected_version=None, influence=4, adkar_desire=3.4)
    stakeholder.refresh_from_db()
    assert (stakeholder.adkar_source, stakeholder.adkar_assessed_on) == ("survey", measured)
    services.update_stakeholder(stakeholder, expected_version=None, adkar_desire=4)
    stakeholder.refresh_from_db()
    assert (stakeholder.adkar_source, stakeholder.adkar_assessed_on) == (
        "estimated",
        timezone.localdate(),
    )
    typed = engagement.activity.filter(verb="updated").order_by("created_at").last()
    assert typed.changes["adkar_source"] == ["Survey", "Estimated"]


def test_a_caller_that_names_the_source_keeps_it(engagement):
    stakeholder = StakeholderFactory(engagement=engagement)
    services.update_stakeholder(
        stakeholder,
        expected_version=None,
        adkar_awareness=4,
        adkar_source="survey",
        adkar_assessed_on=datetime.date(2027, 2, 1),
    )
    stakeholder.refresh_from_db()
    assert (stakeholder.adkar_source, stakeholder.adkar_assessed_on) == (
        "survey",
        datetime.date(2027, 2, 1),
    )


def test_imported_scores_are_dated_estimates(engagement):
    created = services.import_stakeholders(
        engagement, [{"name": "Pickers", "adkar_awareness": 4}, {"name": "Buyer"}]
    )
    assert [(s.adkar_source, s.adkar_assessed_on) for s in created] == [
        ("estimated", timezone.localdate()),
        ("estimated", None),
    ]
