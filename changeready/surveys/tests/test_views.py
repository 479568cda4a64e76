"""The workspace pages: access for every person, the anonymity rule, query budgets."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.surveys.models import Respondent, Response, Survey
from changeready.surveys.tests.factories import (
    RespondentFactory,
    ResponseFactory,
    SurveyFactory,
    answers,
)


def expected_status(person, *, write):
    if person == "anonymous":
        return 302
    if person == "outsider":
        return 404
    if write and person not in WRITERS:
        return 403
    return 200


def state(survey):
    """Everything the workspace actions could change."""
    survey.refresh_from_db()
    return (
        Survey.objects.count(),
        survey.closed_at,
        survey.revoked_at,
        list(Respondent.objects.order_by("email").values_list("revoked_at", "reminded_at")),
        Response.objects.count(),
        len(mail.outbox),
    )


def _create_form(nurses):
    closes_on = timezone.localdate() + datetime.timedelta(days=10)
    return {
        "stakeholders": [str(nurses.id)],
        "respondents": "Dee Lim <dee@northwind.example>",
        "closes_on": closes_on.isoformat(),
        "title": "",
        "intro": "",
        "free_text_question": "",
    }


# (url name, method, is a write, the change a permitted write makes)
ACTIONS = [
    ("surveys", "get", False, None),
    ("survey_create", "get", True, None),
    ("survey_create", "post", True, lambda before, after: after[0] == before[0] + 1),
    ("survey", "get", False, None),
    ("survey_remind", "post", True, lambda before, after: after[5] == before[5] + 3),
    ("survey_close", "get", True, None),
    ("survey_close", "post", True, lambda before, after: after[1] is not None),
    ("survey_revoke", "get", True, None),
    ("survey_revoke", "post", True, lambda before, after: after[2] is not None),
    (
        "survey_respondent_revoke",
        "post",
        True,
        lambda before, after: after[3][0][0] is not None,
    ),
]


def _url(name, engagement, survey):
    if name in ("surveys", "survey_create"):
        return reverse(name, args=[engagement.id])
    if name == "survey_respondent_revoke":
        ana = survey.respondents.get(email="ana@northwind.example")
        return reverse(name, args=[engagement.id, survey.id, ana.id])
    return reverse(name, args=[engagement.id, survey.id])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    ("name", "method", "write", "changed"), ACTIONS, ids=[f"{a[0]}-{a[1]}" for a in ACTIONS]
)
def test_survey_pages_access(
    client_as,
    engagement,
    nurses,
    survey,
    person,
    name,
    method,
    write,
    changed,
    django_capture_on_commit_callbacks,
):
    url = _url(name, engagement, survey)
    before = state(survey)
    client = client_as(person)
    with django_capture_on_commit_callbacks(execute=True):
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, _create_form(nurses) if name == "survey_create" else {})
    after = state(survey)
    if method == "post" and person in WRITERS:
        assert response.status_code == 302
        assert changed(before, after)
        return
    assert response.status_code == expected_status(person, write=write)
    if person == "anonymous":
        assert response.url.startswith(reverse("login"))
    assert after == before


def test_a_survey_is_found_only_through_its_own_engagement(client_as, workspace, survey):
    # Same workspace, another engagement: the survey id alone opens nothing.
    other = EngagementFactory(workspace=workspace)
    client = client_as("owner")
    assert client.get(reverse("survey", args=[other.id, survey.id])).status_code == 404
    assert client.post(reverse("survey_close", args=[other.id, survey.id])).status_code == 404
    survey.refresh_from_db()
    assert survey.closed_at is None


def test_a_respondent_is_found_only_through_its_own_survey(client_as, engagement, survey, nurses):
    other_survey = SurveyFactory(engagement=engagement, stakeholders=[nurses])
    ana = survey.respondents.get(email="ana@northwind.example")
    url = reverse("survey_respondent_revoke", args=[engagement.id, other_survey.id, ana.id])
    assert client_as("owner").post(url).status_code == 404
    ana.refresh_from_db()
    assert ana.revoked_at is None


# --- Creating through the form ---------------------------------------------------------


def test_create_form_keeps_input_and_explains_errors(client_as, engagement, nurses):
    data = _create_form(nurses) | {"respondents": "Dee <dee@>\nok@northwind.example"}
    data["stakeholders"] = []
    page = client_as("member").post(reverse("survey_create", args=[engagement.id]), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Choose at least one stakeholder the survey is for." in html
    assert "Line 1: “Dee &lt;dee@&gt;” is not" in html
    assert "ok@northwind.example" in html  # the pasted list is kept
    assert not Survey.objects.exists()


def test_create_form_offers_only_this_engagements_stakeholders(client_as, engagement, nurses):
    stranger = StakeholderFactory(name="Someone else's group")
    page = client_as("member").get(reverse("survey_create", args=[engagement.id]))
    assert "Ward nurses" in page.content.decode()
    assert "Someone else" not in page.content.decode()
    data = _create_form(nurses) | {"stakeholders": [str(stranger.id)]}
    page = client_as("member").post(reverse("survey_create", args=[engagement.id]), data)
    assert page.status_code == 200
    assert not Survey.objects.exists()


def test_create_with_a_pasted_list_emails_everyone(
    client_as, engagement, nurses, django_capture_on_commit_callbacks
):
    data = _create_form(nurses) | {
        "respondents": "Dee Lim <dee@northwind.example>; eve@northwind.example\n"
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member").post(reverse("survey_create", args=[engagement.id]), data)
    survey = Survey.objects.get()
    assert response.url == reverse("survey", args=[engagement.id, survey.id])
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dee@northwind.example",
        "eve@northwind.example",
    ]


def test_shared_link_is_offered_to_writers_only(client_as, engagement, shared_survey):
    url = reverse("survey", args=[engagement.id, shared_survey.id])
    assert "/s/" in client_as("member").get(url).content.decode()
    assert "/s/" not in client_as("viewer").get(url).content.decode()


# --- The anonymity rule -------------------------------------------------------------------


def _answer(survey, count, **kwargs):
    for respondent in survey.respondents.order_by("email")[:count]:
        ResponseFactory(survey=survey, respondent=respondent, **kwargs)


def test_two_responses_show_no_breakdown_and_no_free_text(client_as, engagement, survey):
    _answer(survey, 2, answers=answers(2), free_text="Only Ana would write this")
    html = client_as("owner").get(reverse("survey", args=[engagement.id, survey.id])).content
    html = html.decode()
    assert "2 responses; results appear at 3" in html
    assert "survey-results" not in html
    assert "Only Ana would write this" not in html
    assert "<strong>2.0</strong>" not in html
    # Who answered is shown; what they answered is not.
    assert html.count("<td>yes</td>") == 2


def test_three_responses_show_the_breakdown_and_the_free_text(client_as, engagement, survey):
    _answer(survey, 3, answers=answers(2, ability=(5, 4)), free_text="More floor walkers")
    html = client_as("owner").get(reverse("survey", args=[engagement.id, survey.id])).content
    html = html.decode()
    assert "results appear at" not in html
    assert "survey-results" in html
    assert "<strong>4.5</strong>" in html
    assert html.count("More floor walkers") == 3


def test_an_element_fewer_than_three_answered_stays_hidden(client_as, engagement, survey):
    ana, ben, cleo = survey.respondents.order_by("email")
    ResponseFactory(survey=survey, respondent=ana, answers=answers(3, desire=(1, 1)))
    ResponseFactory(survey=survey, respondent=ben, answers=answers(3, desire=(None, None)))
    ResponseFactory(survey=survey, respondent=cleo, answers=answers(3, desire=(5, None)))
    html = client_as("owner").get(reverse("survey", args=[engagement.id, survey.id])).content
    html = html.decode()
    assert "fewer than 3 answered" in html
    assert html.count("<strong>3.0</strong>") == 4


def test_the_trend_shows_each_element_across_surveys(client_as, engagement, nurses, survey):
    earlier = SurveyFactory(engagement=engagement, stakeholders=[nurses])
    earlier.created_at = survey.created_at - datetime.timedelta(days=30)
    earlier.save()
    for index in range(3):
        ResponseFactory(survey=earlier, answers=answers(2), browser_key=f"k{index}")
    _answer(survey, 3, answers=answers(4))
    html = client_as("viewer").get(reverse("survey", args=[engagement.id, survey.id])).content
    assert "(+2.0)" in html.decode()


# --- Query budgets ------------------------------------------------------------------------


def _populate(engagement, nurses, size):
    for _ in range(size):
        survey = SurveyFactory(engagement=engagement, stakeholders=[nurses])
        for respondent in RespondentFactory.create_batch(size, survey=survey):
            ResponseFactory(survey=survey, respondent=respondent)
    return survey


@pytest.mark.parametrize("size", [3, 50])
def test_survey_list_query_budget(client_as, engagement, nurses, size, django_assert_num_queries):
    _populate(engagement, nurses, size)
    client = client_as("viewer")
    with django_assert_num_queries(6):
        assert client.get(reverse("surveys", args=[engagement.id])).status_code == 200


@pytest.mark.parametrize("size", [3, 50])
def test_survey_detail_query_budget(client_as, engagement, nurses, size, django_assert_num_queries):
    survey = _populate(engagement, nurses, size)
    client = client_as("viewer")
    with django_assert_num_queries(11):
        assert client.get(reverse("survey", args=[engagement.id, survey.id])).status_code == 200


def test_create_form_shows_the_default_title_escaped(client_as, engagement, nurses):
    engagement.product = "<b>FieldPro</b>"
    engagement.save()
    html = client_as("member").get(reverse("survey_create", args=[engagement.id])).content
    assert "How ready are you for &lt;b&gt;FieldPro&lt;/b&gt;?" in html.decode()
    assert "<b>FieldPro</b>" not in html.decode()


def test_a_respondent_name_with_a_control_character_is_refused(client_as, engagement, nurses):
    data = _create_form(nurses) | {"respondents": "Dee\x07Lim <dee@northwind.example>"}
    page = client_as("member").post(reverse("survey_create", args=[engagement.id]), data)
    assert page.status_code == 200
    assert page.context["form"].errors["respondents"] == [
        "The name for dee@northwind.example: Contains a control character (U+0007); "
        "retype the text."
    ]
    assert not Survey.objects.exists()
