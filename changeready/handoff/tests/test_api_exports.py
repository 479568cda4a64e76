"""The playbook formats are served by the API's export endpoint too."""

import pytest

from changeready.conftest import PEOPLE
from changeready.landscape.tests.factories import StakeholderFactory

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
}


@pytest.mark.parametrize(("fmt", "content_type"), FORMATS.items())
def test_each_playbook_format_downloads_through_the_api(
    api_client_as, engagement, fmt, content_type
):
    StakeholderFactory(engagement=engagement, name="Pickers and packers")
    response = api_client_as("viewer").get(
        f"/api/v1/engagements/{engagement.id}/export", {"format": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "-playbook" in response["Content-Disposition"]
    assert len(response.content) > 0
    if fmt == "md":
        assert "Pickers and packers" in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
def test_playbook_export_access(api_client_as, engagement, person):
    response = api_client_as(person).get(
        f"/api/v1/engagements/{engagement.id}/export", {"format": "md"}
    )
    assert response.status_code == {"anonymous": 401, "outsider": 404}.get(person, 200)


def test_unknown_format_is_a_422(api_client_as, engagement):
    response = api_client_as("owner").get(
        f"/api/v1/engagements/{engagement.id}/export", {"format": "pptx"}
    )
    assert response.status_code == 422
