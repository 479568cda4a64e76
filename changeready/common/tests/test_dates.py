"""Dates outside the years the app computes with are refused at input."""

import datetime
import json

import pytest
from django.urls import reverse

from changeready.common.dates import EARLIEST, LATEST, date_problem
from changeready.engagements.models import Engagement
from changeready.engagements.tests.test_engagement_views import VALID_FORM

pytestmark = pytest.mark.django_db


def test_the_bounds_are_inside_and_a_day_past_them_is_not():
    assert date_problem(EARLIEST) is None and date_problem(LATEST) is None
    assert "between 1970-01-01 and 2199-12-31" in date_problem(LATEST + datetime.timedelta(1))
    assert date_problem(EARLIEST - datetime.timedelta(1))


def test_a_form_refuses_a_go_live_in_year_9999(client_as, workspace):
    data = {**VALID_FORM, "go_live_date": "9999-12-31"}

    response = client_as("member").post(reverse("engagement_create", args=[workspace.slug]), data)

    assert response.status_code == 200
    assert "between 1970-01-01" in str(response.context["form"].errors["go_live_date"])
    assert not Engagement.objects.exists()


def test_the_api_refuses_a_go_live_in_year_1(api_client_as):
    body = {"name": "Rollout", "customer": "Acme", "go_live_date": "0001-01-01"}

    response = api_client_as("member").post(
        "/api/v1/engagements", data=json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["go_live_date"]
    assert not Engagement.objects.exists()
