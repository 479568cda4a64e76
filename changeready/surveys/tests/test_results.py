"""The read side: the anonymity rule as data, and the API's summary of a survey."""

import pytest
from django.utils import timezone

from changeready.surveys import services
from changeready.surveys.models import Survey
from changeready.surveys.results import survey_results, survey_summary, with_counts
from changeready.surveys.tests.factories import ResponseFactory, answers


def summary(survey):
    return survey_summary(
        with_counts(Survey.objects.filter(id=survey.id)).get(), today=timezone.localdate()
    )


@pytest.mark.parametrize("count", [0, 1, 2])
def test_below_three_responses_nothing_but_the_count(survey, count):
    for respondent in survey.respondents.order_by("email")[:count]:
        ResponseFactory(survey=survey, respondent=respondent, free_text="mine")
    results = survey_results(list(survey.responses.all()))
    assert results.responses == count
    assert not results.shown
    assert results.missing == 3 - count
    assert all(row.mean is None and not row.shown for row in results.elements)
    assert results.free_text == ()
    body = summary(survey)
    assert body["responses"] == count
    assert body["answered"] == count
    assert body["invited"] == 3
    assert [s["adkar"] for s in body["stakeholders"]] == [None]


def test_at_three_responses_the_means_and_free_text_show(survey, nurses):
    texts = ["zebra crossing", "Among friends", "more help"]
    for respondent, text in zip(survey.respondents.all(), texts, strict=True):
        ResponseFactory(survey=survey, respondent=respondent, answers=answers(4), free_text=text)
    results = survey_results(list(survey.responses.all()))
    assert results.shown
    assert results.free_text == ("Among friends", "more help", "zebra crossing")
    body = summary(survey)
    assert body["status"] == "open"
    assert body["stakeholders"] == [
        {
            "id": nurses.id,
            "name": "Ward nurses",
            "adkar": dict.fromkeys(
                ("awareness", "desire", "knowledge", "ability", "reinforcement"), 4.0
            ),
        }
    ]


def test_summary_status_follows_close_and_revoke(survey):
    services.close_survey(survey)
    assert summary(survey)["status"] == "closed"
    services.revoke_survey(survey)
    assert summary(survey)["status"] == "revoked"
