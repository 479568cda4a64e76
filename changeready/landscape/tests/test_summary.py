"""The overview's landscape summary says what the landscape page says, in fixed queries."""

from datetime import date

import pytest
from django.urls import reverse

from changeready.assessment.services import cached_assessment
from changeready.landscape.overview import build_landscape, landscape_summary
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory


def fill(engagement, size: int) -> None:
    roles = ("daily_user", "people_manager", "economic_buyer", "executive_sponsor")
    for i in range(size):
        stakeholder = StakeholderFactory(
            engagement=engagement,
            name=f"Group {i}",
            role=roles[i % len(roles)],
            opposed_purchase=i % 5 == 0,
            authority_decreases=i % 3 == 0,
        )
        if i % 2:
            ResistancePointFactory(stakeholder=stakeholder, severity=4)


def test_summary_counts_equal_the_landscape(engagement):
    fill(engagement, 20)
    landscape = build_landscape(engagement)
    summary = landscape_summary(engagement, cached_assessment(engagement, date.today()))
    assert len(summary.entries) == len(landscape.entries) == 20
    assert [len(s.entries) for s in summary.sections] == [
        len(s.entries) for s in landscape.sections
    ]
    assert len(summary.resistors) == len(landscape.resistors) > 0
    assert summary.without_plan_count == landscape.without_plan_count > 0


@pytest.mark.parametrize("size", [5, 200])
def test_overview_query_budget(client_as, engagement, size, django_assert_num_queries):
    fill(engagement, size)
    client = client_as("member")
    # session, user, memberships (tenancy's and the layout's workspace
    # switcher's), engagement, history (the snapshots: the version of the
    # cached page), six loader queries, stakeholder roles.
    with django_assert_num_queries(12):
        response = client.get(reverse("engagement", args=[engagement.id]))
    assert response.status_code == 200
    first = response.content.decode()
    # Again: the readiness and the summary come rendered from the cache.
    # session, user, memberships, engagement, history.
    with django_assert_num_queries(5):
        response = client.get(reverse("engagement", args=[engagement.id]))
    # What follows the tabs (the layout's CSRF token is new on each request).
    assert response.content.decode().split("</nav>")[-1] == first.split("</nav>")[-1]
    assert "Stakeholder landscape" in first
