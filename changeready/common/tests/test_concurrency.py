"""Blind writes merge: a save without a version writes only what its writer changed.

These run the merge step by step on one connection (SQLite included); the
same writes racing in threads are in test_versioned_race.py (PostgreSQL).
"""

import pytest
from django.core.exceptions import ValidationError

from changeready.common.concurrency import EditConflict, save_versioned
from changeready.engagements.models import Engagement
from changeready.engagements.services import update_engagement
from changeready.landscape.models import Stakeholder
from changeready.landscape.services import set_opposition_reviewed, update_stakeholder
from changeready.landscape.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


def test_two_blind_writes_of_different_fields_both_survive(engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers", notes="")
    first = Stakeholder.objects.get(pk=stakeholder.pk)
    second = Stakeholder.objects.get(pk=stakeholder.pk)

    first.name = "Pickers and packers"
    save_versioned(first, None)
    second.notes = "Night shift too"
    save_versioned(second, None)

    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.notes) == ("Pickers and packers", "Night shift too")
    assert stakeholder.version == first.version + 1
    # The second writer's instance now holds the row as stored, the first's change included.
    assert (second.name, second.version) == ("Pickers and packers", stakeholder.version)


def test_the_nobody_opposed_toggle_keeps_a_rename_saved_meanwhile(engagement):
    stale = Engagement.objects.get(pk=engagement.pk)
    update_engagement(
        Engagement.objects.get(pk=engagement.pk), expected_version=None, name="Renamed by the API"
    )

    set_opposition_reviewed(stale, True)

    engagement.refresh_from_db()
    assert (engagement.name, engagement.opposition_reviewed) == ("Renamed by the API", True)


def test_a_list_changed_in_place_counts_as_changed(engagement):
    stakeholder = StakeholderFactory(engagement=engagement, involvement=[])
    mine = Stakeholder.objects.get(pk=stakeholder.pk)

    mine.involvement.append("uat")
    save_versioned(mine, None)

    stakeholder.refresh_from_db()
    assert stakeholder.involvement == ["uat"]


def test_a_service_update_writes_only_the_fields_it_was_given(engagement):
    stakeholder = StakeholderFactory(engagement=engagement, influence=2, interest=2)
    stale = Stakeholder.objects.get(pk=stakeholder.pk)
    update_stakeholder(
        Stakeholder.objects.get(pk=stakeholder.pk), expected_version=None, influence=5
    )

    update_stakeholder(stale, expected_version=None, interest=4)

    stakeholder.refresh_from_db()
    assert (stakeholder.influence, stakeholder.interest) == (5, 4)


def test_a_write_with_a_version_is_still_refused_when_the_row_moved(engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers")
    stale = Stakeholder.objects.get(pk=stakeholder.pk)
    update_stakeholder(
        Stakeholder.objects.get(pk=stakeholder.pk), expected_version=None, notes="moved"
    )

    stale.name = "Lost?"
    with pytest.raises(EditConflict):
        save_versioned(stale, stale.version)

    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.notes) == ("Pickers", "moved")


def test_the_merged_record_is_validated_as_it_will_be_stored(engagement):
    """A change valid alone but not with what others saved meanwhile is refused."""
    group = StakeholderFactory(engagement=engagement, kind="group")
    person = StakeholderFactory(engagement=engagement, kind="person", name="Ana")
    stale = Stakeholder.objects.get(pk=person.pk)
    update_stakeholder(Stakeholder.objects.get(pk=person.pk), expected_version=None, group=group)

    stale.kind = "group"
    with pytest.raises(ValidationError, match="cannot belong to another group"):
        save_versioned(stale, None)

    person.refresh_from_db()
    assert (person.kind, person.group_id) == ("person", group.pk)


def test_a_record_saved_twice_writes_only_the_second_change_the_second_time(engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers", notes="")
    mine = Stakeholder.objects.get(pk=stakeholder.pk)
    mine.name = "Packers"
    save_versioned(mine, None)
    Stakeholder.objects.filter(pk=stakeholder.pk).update(name="Renamed elsewhere")

    mine.notes = "second"
    save_versioned(mine, None)

    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.notes) == ("Renamed elsewhere", "second")
