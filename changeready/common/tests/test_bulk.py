"""insert_rows: many new rows in one statement, with the model's defaults."""

import uuid

import pytest

from changeready.common.bulk import insert_rows
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning.models import AdoptionTarget, PlanItem

pytestmark = pytest.mark.django_db


def test_rows_take_the_defaults_and_keep_their_order(engagement, django_assert_num_queries):
    titles = [f"Step {number}" for number in range(30)]

    with django_assert_num_queries(1):
        written = insert_rows(
            PlanItem,
            (
                {
                    "engagement_id": engagement.id,
                    "week": 1,
                    "title": title,
                    "kind": "training",
                    "owner_role": "champion",
                }
                for title in titles
            ),
        )

    assert written == 30
    items = list(engagement.plan_items.all())  # ordered by week, then creation
    assert [item.title for item in items] == titles
    first = items[0]
    assert (first.status, first.origin, first.version, first.description) == (
        "planned",
        "manual",
        1,
        "",
    )
    assert len({item.id for item in items}) == 30
    assert first.created_at is not None and first.updated_at is not None


def test_uuids_given_as_text_or_objects_are_stored_alike(engagement):
    group = StakeholderFactory(engagement=engagement)
    item_id = uuid.uuid4()

    insert_rows(
        PlanItem,
        [
            {
                "id": item_id,
                "engagement_id": engagement.id,
                "week": 2,
                "title": "Hello",
                "kind": "communication",
                "owner_role": "delivery",
            }
        ],
    )
    insert_rows(
        PlanItem.audience.through, [{"planitem_id": item_id, "stakeholder_id": str(group.id)}]
    )
    insert_rows(
        AdoptionTarget,
        [
            {
                "engagement_id": str(engagement.id),
                "stakeholder_id": str(group.id),
                "week": 4,
                "target_pct": 60.0,
            }
        ],
    )

    assert list(PlanItem.objects.get(id=item_id).audience.all()) == [group]
    target = engagement.adoption_targets.get()
    assert (target.stakeholder_id, target.target_pct, target.source) == (
        group.id,
        60.0,
        "generated",
    )


def test_no_rows_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(PlanItem, []) == 0
