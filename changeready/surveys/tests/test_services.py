import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from changeready.core.assessment import assess
from changeready.engagements.loading import load_engagement_data
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.surveys import services
from changeready.surveys.links import SurveyLink, personal_url, shared_url
from changeready.surveys.models import Respondent, Response
from changeready.surveys.tests.factories import ResponseFactory, SurveyFactory, answers

pytestmark = pytest.mark.django_db(transaction=False)


def link_of(respondent):
    return SurveyLink(survey=respondent.survey, respondent=respondent)


def barrier_of(stakeholder, as_of=None):
    engagement = stakeholder.engagement
    data = load_engagement_data([engagement])[str(engagement.id)]
    result = assess(data, as_of or timezone.localdate())
    return next(s.barrier for s in result.stakeholders if s.id == str(stakeholder.id))


# --- Parsing the pasted list ---------------------------------------------------


def test_parse_respondents_accepts_names_bare_emails_and_mail_program_lists():
    text = (
        "Ana Ruiz <Ana@Northwind.example>\n"
        "ben@northwind.example\n"
        '"Park, Cleo" <cleo@northwind.example>; Dan <dan@northwind.example>\n'
        "\n"
        "ana@northwind.example\n"
    )
    assert services.parse_respondents(text) == [
        ("Ana Ruiz", "ana@northwind.example"),
        ("", "ben@northwind.example"),
        ("Park, Cleo", "cleo@northwind.example"),
        ("Dan", "dan@northwind.example"),
    ]


def test_parse_respondents_names_every_bad_line():
    with pytest.raises(ValidationError) as error:
        services.parse_respondents("ana@northwind.example\nnot an address\nBen <ben@>")
    assert error.value.messages == [
        "Line 2: “not an address” is not “Name <email>” or an email address.",
        "Line 3: “Ben <ben@>” is not “Name <email>” or an email address.",
    ]


# --- Creating ---------------------------------------------------------------------


def test_invitations_are_plain_text_emails_with_the_personal_link(
    engagement, nurses, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        survey = services.create_survey(
            engagement=engagement,
            created_by=owner,
            stakeholder_ids=[nurses.id],
            respondents=[("Ana Ruiz", "ana@northwind.example"), ("", "ben@northwind.example")],
        )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@northwind.example",
        "ben@northwind.example",
    ]
    ana = survey.respondents.get(email="ana@northwind.example")
    message = next(m for m in mail.outbox if m.to == ["ana@northwind.example"])
    assert message.subject == survey.title
    assert not message.alternatives  # plain text only
    assert "Hello Ana Ruiz," in message.body
    assert personal_url(ana) in message.body
    assert personal_url(ana).startswith("http")
    assert ana.invited_at is not None


def test_a_survey_without_respondents_has_one_shared_link_and_sends_nothing(
    engagement, nurses, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        survey = services.create_survey(
            engagement=engagement, created_by=owner, stakeholder_ids=[nurses.id]
        )
    assert survey.mode == "shared"
    assert mail.outbox == []
    assert "/s/" in shared_url(survey)


def test_create_survey_refuses_stakeholders_of_another_engagement(engagement, owner):
    stranger = StakeholderFactory()  # another engagement, another workspace
    with pytest.raises(ValidationError) as error:
        services.create_survey(
            engagement=engagement, created_by=owner, stakeholder_ids=[stranger.id]
        )
    assert "stakeholders" in error.value.error_dict
    assert not stranger.surveys.exists()


def test_create_survey_needs_a_stakeholder_and_a_future_closing_date(engagement, owner):
    with pytest.raises(ValidationError) as error:
        services.create_survey(
            engagement=engagement,
            created_by=owner,
            stakeholder_ids=[],
            closes_on=datetime.date(2026, 1, 1),
            today=datetime.date(2026, 2, 1),
        )
    assert set(error.value.error_dict) == {"stakeholders", "closes_on"}


def test_create_survey_defaults_title_intro_and_closing_date(engagement, nurses, owner):
    engagement.product = "FieldPro"
    survey = services.create_survey(
        engagement=engagement,
        created_by=owner,
        stakeholder_ids=[nurses.id],
        today=datetime.date(2027, 1, 4),
    )
    assert survey.title == "How ready are you for FieldPro?"
    assert "FieldPro" in survey.intro
    assert survey.closes_on == datetime.date(2027, 1, 18)


def test_a_survey_without_a_title_is_created_when_the_product_name_is_long(
    engagement, nurses, owner
):
    engagement.product = "P" * 200
    survey = services.create_survey(
        engagement=engagement,
        created_by=owner,
        stakeholder_ids=[nurses.id],
        today=datetime.date(2027, 1, 4),
    )
    assert len(survey.title) == 200
    assert survey.title.startswith("How ready are you for PPP") and survey.title.endswith("…?")


# --- Recording answers and applying results --------------------------------------


def test_answers_set_the_stakeholders_adkar_to_the_mean_over_respondents(survey, nurses):
    ana, ben, cleo = survey.respondents.order_by("email")
    services.record_response(link_of(ana), answers(awareness=(4, 5), knowledge=(2, None)))
    services.record_response(link_of(ben), answers(awareness=(5, 5), knowledge=(3, 3)))
    services.record_response(
        link_of(cleo), answers(awareness=(4, 4), knowledge=(None, None), ability=(None, None))
    )
    nurses.refresh_from_db()
    assert nurses.adkar_awareness == pytest.approx((4.5 + 5 + 4) / 3)
    assert nurses.adkar_knowledge == pytest.approx((2 + 3) / 2)  # cleo: not applicable
    assert nurses.adkar_ability == 4
    assert nurses.adkar_measured_on == timezone.localdate()
    assert nurses.adkar_responses == 3
    # Measured, as of the last answer.
    last_answer = survey.responses.order_by("-submitted_at").first().submitted_at
    assert (nurses.adkar_source, nurses.adkar_assessed_on) == (
        "survey",
        timezone.localdate(last_answer),
    )


def test_an_element_nobody_answered_keeps_the_teams_estimate(survey, nurses):
    ana = survey.respondents.first()
    services.record_response(link_of(ana), answers(reinforcement=(None, None)))
    nurses.refresh_from_db()
    assert nurses.adkar_reinforcement == 2  # the estimate stays
    assert nurses.adkar_awareness == 4


def test_results_apply_below_the_anonymity_threshold(survey, nurses):
    services.record_response(link_of(survey.respondents.first()), answers(5))
    nurses.refresh_from_db()
    assert nurses.adkar_responses == 1
    assert nurses.adkar_awareness == 5


def test_answering_again_through_a_personal_link_replaces_the_earlier_answer(survey, nurses):
    ana = survey.respondents.first()
    first = services.record_response(link_of(ana), answers(1), "First thoughts")
    second = services.record_response(link_of(ana), answers(5), "Second thoughts")
    assert first.id == second.id
    assert Response.objects.filter(survey=survey).count() == 1
    assert second.free_text == "Second thoughts"
    nurses.refresh_from_db()
    assert nurses.adkar_awareness == 5
    assert nurses.adkar_responses == 1


def test_shared_link_counts_each_browser_once_and_new_people_separately(shared_survey, nurses):
    link = SurveyLink(survey=shared_survey, respondent=None)
    first = services.record_response(link, answers(2))
    again = services.record_response(link, answers(4), browser_key=first.browser_key)
    other = services.record_response(link, answers(5))
    assert again.id == first.id
    assert other.id != first.id
    nurses.refresh_from_db()
    assert nurses.adkar_responses == 2
    assert nurses.adkar_awareness == 4.5


def test_the_result_is_recomputed_from_every_response(survey, nurses):
    # A response recorded by another process (here: written directly) is counted
    # by the next recomputation, so concurrent answers cannot be lost.
    ana, ben, _ = survey.respondents.order_by("email")
    ResponseFactory(survey=survey, respondent=ben, answers=answers(2))
    services.record_response(link_of(ana), answers(4))
    nurses.refresh_from_db()
    assert nurses.adkar_awareness == 3
    assert nurses.adkar_responses == 2


def test_a_closed_or_withdrawn_survey_takes_no_answers(survey, nurses):
    ana, ben, _ = survey.respondents.order_by("email")
    services.close_survey(survey)
    with pytest.raises(services.SurveyClosed) as closed:
        services.record_response(link_of(ana), answers(5))
    assert closed.value.reason == "closed"
    services.revoke_respondent(ben)
    with pytest.raises(services.SurveyClosed):
        services.record_response(link_of(ben), answers(5))
    assert not Response.objects.exists()
    nurses.refresh_from_db()
    assert nurses.adkar_measured_on is None


def test_an_older_survey_does_not_overwrite_a_newer_measurement(engagement, nurses, owner):
    older = SurveyFactory(engagement=engagement, stakeholders=[nurses])
    older_person = Respondent.objects.create(survey=older, email="a@northwind.example")
    newer = SurveyFactory(engagement=engagement, stakeholders=[nurses])
    newer_person = Respondent.objects.create(survey=newer, email="b@northwind.example")
    services.record_response(link_of(newer_person), answers(5))
    services.record_response(link_of(older_person), answers(1))
    nurses.refresh_from_db()
    assert nurses.adkar_awareness == 5


def test_free_text_is_dropped_when_the_survey_asked_no_question(shared_survey):
    link = SurveyLink(survey=shared_survey, respondent=None)
    response = services.record_response(link, answers(), "unsolicited")
    assert response.free_text == ""


# --- The "done when" --------------------------------------------------------


def test_three_respondents_move_the_barrier_as_their_answers_imply(survey, nurses):
    assert barrier_of(nurses) == "awareness"  # the team's estimate
    ana, ben, cleo = survey.respondents.order_by("email")
    # They know why and want it, but do not yet know how: the barrier is knowledge.
    services.record_response(link_of(ana), answers(1))  # replaced below
    services.record_response(link_of(ana), answers(5, knowledge=(2, 3)))
    services.record_response(link_of(ben), answers(4, knowledge=(3, 2)))
    services.record_response(link_of(cleo), answers(4, knowledge=(2, None)))
    nurses.refresh_from_db()
    assert barrier_of(nurses) == "knowledge"
    assert nurses.adkar_responses == 3
    assert Response.objects.filter(survey=survey).count() == 3


# --- Reminders ------------------------------------------------------------------------


def test_reminders_go_to_who_has_not_answered_once_a_day(
    survey, django_capture_on_commit_callbacks
):
    ana, ben, cleo = survey.respondents.order_by("email")
    services.record_response(link_of(ana), answers())
    services.revoke_respondent(cleo)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(survey) == 1
        assert services.send_reminders(survey) == 0  # a second press reminds nobody twice
    assert [m.to for m in mail.outbox] == [["ben@northwind.example"]]
    assert mail.outbox[0].subject.startswith("Reminder:")
    assert personal_url(ben) in mail.outbox[0].body
    later = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(survey, now=later) == 1


def test_no_reminders_for_a_closed_or_shared_survey(survey, shared_survey):
    with pytest.raises(ValidationError):
        services.send_reminders(shared_survey)
    services.close_survey(survey)
    with pytest.raises(ValidationError):
        services.send_reminders(survey)
    assert not survey.respondents.filter(reminded_at__isnull=False).exists()


def test_a_reminder_queued_before_a_link_was_withdrawn_is_not_sent(
    survey, django_capture_on_commit_callbacks
):
    ben = survey.respondents.get(email="ben@northwind.example")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.send_reminders(survey)
    services.revoke_respondent(ben)
    mail.outbox.clear()
    for callback in callbacks:
        callback()
    assert "ben@northwind.example" not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 2
