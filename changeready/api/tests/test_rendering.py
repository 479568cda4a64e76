"""A body kept in the cache is written exactly as the API's own renderer writes it."""

import pytest
from django.test import RequestFactory

from changeready.api.rendering import JSON_CONTENT_TYPE, json_body
from changeready.assessment import services
from changeready.assessment.api import AssessmentOut
from changeready.handoff.tests.example import load_example
from changeready.web.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def northwind(workspace):
    return load_example(workspace)


def test_the_bytes_and_media_type_are_the_apis(northwind):
    body = services.assessment_body(
        northwind, services.assess_engagement(northwind, services.today())
    )
    data = AssessmentOut.model_validate(body).model_dump()
    expected = api.create_response(RequestFactory().get("/"), data, status=200)
    assert json_body(AssessmentOut, body) == expected.content
    assert JSON_CONTENT_TYPE == expected["Content-Type"] == api.get_content_type()
    assert len(body["stakeholders"]) > 3  # a real assessment, not an empty one


def test_a_body_the_schema_refuses_is_not_written(northwind):
    with pytest.raises(ValueError):
        json_body(AssessmentOut, {"engagement_id": "not a uuid"})
