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
