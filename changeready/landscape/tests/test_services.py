import pytest
from django.core.exceptions import ValidationError

from changeready.common.concurrency import EditConflict
from changeready.landscape import services
from changeready.landscape.tests.factories import StakeholderFactory

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
