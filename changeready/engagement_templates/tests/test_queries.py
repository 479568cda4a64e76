"""The template list costs the same number of queries however many templates a workspace has."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changeready.engagement_templates import services

SMALL = {"stakeholders": [{"key": "a", "kind": "group", "name": "Agents", "role": "daily_user"}]}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_does_not_query_per_template(client_as, workspace, owner):
    services.create_template(workspace, name="First", content=SMALL, actor=owner)
    client = client_as("owner")
    url = reverse("engagement_templates", args=[workspace.slug])
    one = _queries(client, url)
    for number in range(2, 7):
        services.create_template(workspace, name=f"Template {number}", content=SMALL, actor=owner)
    assert _queries(client, url) == one


def test_api_list_is_a_fixed_number_of_queries(
    api_client_as, workspace, owner, django_assert_max_num_queries
):
    for number in range(5):
        services.create_template(workspace, name=f"Template {number}", content=SMALL)
    client = api_client_as("member")
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/templates").json()) == 8
