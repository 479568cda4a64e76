"""The page behind a survey link: anonymous, GET shows, POST records."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changeready.core.assessment import assess
from changeready.engagements.loading import load_engagement_data
from changeready.surveys import services
from changeready.surveys.links import personal_token, shared_token
from changeready.surveys.models import GRACE_DAYS, Response
from changeready.surveys.tests.factories import answers, form_data


def url_of(token):
    return reverse("survey_respond", args=[token])


def personal_link(survey, email="ana@northwind.example"):
    return url_of(personal_token(survey.respondents.get(email=email)))


def checked(html):
    """The selected radio of each statement on a page: {"awareness_1": "2", ...}."""
    selected = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="radio"' in tag and " checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            selected[name] = re.search(r'value="([^"]+)"', tag).group(1)
    return selected


def snapshot(survey, nurses):
    """Everything a respondent page could change."""
    nurses.refresh_from_db()
    return (
        list(Response.objects.values_list("id", "answers", "updated_at")),
        nurses.version,
        nurses.adkar,
        list(survey.respondents.values_list("id", "revoked_at", "reminded_at")),
    )


def test_the_questionnaire_opens_without_an_account(client, survey):
    page = client.get(personal_link(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert survey.title in html
    assert html.count("<fieldset") == 10
    assert html.count('type="radio"') == 60  # five points and "not applicable"
    assert "What would help you most?" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_page_reveals_nothing_else(client, survey, engagement):
    page = client.get(personal_link(survey))
    html = page.content.decode()
    assert '<meta name="robots" content="noindex' in html
    assert page["X-Robots-Tag"].startswith("noindex")
    # The link never leaves as a referrer to another site; the app itself may
    # see it (no-referrer would make the form's POST carry `Origin: null`).
    assert page["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in html
    assert "no-store" in page["Cache-Control"]
    # No link into the app, no engagement data beyond the survey's own text, no ids.
    assert re.findall(r'href="/(?!static/)', html) == []
    for secret in (engagement.name, engagement.customer, "Ward nurses", "ben@northwind.example"):
        assert secret not in html
    for identifier in (engagement.id, survey.id, *survey.respondents.values_list("id", flat=True)):
        assert str(identifier) not in html
        assert identifier.hex not in html


def test_opening_the_link_changes_nothing(client, survey, nurses):
    # A mail scanner follows every link in the invitation: GET must be harmless.
    before = snapshot(survey, nurses)
    for _ in range(3):
        assert client.get(personal_link(survey)).status_code == 200
        assert client.head(personal_link(survey)).status_code == 200
    assert snapshot(survey, nurses) == before
    assert not Response.objects.exists()


def test_posting_records_the_answer_and_thanks(client, survey, nurses):
    link = personal_link(survey)
    response = client.post(link, form_data(answers(5), free_text="More floor walkers"))
    assert response.status_code == 302
    assert response.url == link + "thanks/"
    thanks = client.get(response.url)
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()
    recorded = Response.objects.get()
    assert recorded.answers == answers(5)
    assert recorded.free_text == "More floor walkers"
    nurses.refresh_from_db()
    assert nurses.adkar_awareness == 5


def test_answering_again_shows_the_earlier_answers_and_replaces_them(client, survey, nurses):
    link = personal_link(survey)
    client.post(link, form_data(answers(2, knowledge=(None, 4))))
    page = client.get(link).content.decode()
    assert "answers you gave before" in page
    selected = checked(page)
    assert selected["awareness_1"] == "2"
    assert selected["knowledge_1"] == "na"
    assert selected["knowledge_2"] == "4"
    assert len(selected) == 10
    client.post(link, form_data(answers(5)))
    assert Response.objects.count() == 1
    assert Response.objects.get().answers == answers(5)
    nurses.refresh_from_db()
    assert nurses.adkar_responses == 1


def test_a_statement_without_an_answer_is_marked_and_the_rest_is_kept(client, survey):
    data = form_data(answers(4))
    del data["ability_2"]
    page = client.post(personal_link(survey), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Choose an answer, or “Not applicable to me”." in html
    assert len(checked(html)) == 9
    assert not Response.objects.exists()


def test_csrf_protection_works_for_anonymous_respondents(survey):
    client = Client(enforce_csrf_checks=True)
    link = personal_link(survey)
    assert client.post(link, form_data(answers())).status_code == 403
    page = client.get(link).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(link, form_data(answers(), csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_the_answer_posts_with_the_origin_a_browser_sends(survey):
    # Browsers send the page's origin with the form unless the page's referrer
    # policy is no-referrer; then they send `Origin: null`, which the CSRF check
    # refuses: no one could answer. The policy keeps the origin.
    client = Client(enforce_csrf_checks=True)
    link = personal_link(survey)
    page = client.get(link)
    assert page["Referrer-Policy"] != "no-referrer"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    data = form_data(answers(), csrfmiddlewaretoken=token.group(1))
    assert client.post(link, data, HTTP_ORIGIN="null").status_code == 403
    assert client.post(link, data, HTTP_ORIGIN="http://testserver").status_code == 302
    assert Response.objects.count() == 1


# --- Links that do not work ----------------------------------------------------------


def _tampered(token):
    key, _, signature = token.partition(".")
    return f"{key}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"


@pytest.mark.parametrize(
    "make_token",
    [
        lambda survey: _tampered(personal_token(survey.respondents.first())),
        lambda survey: personal_token(survey.respondents.first()).partition(".")[0],
        lambda survey: "nonsense",
        lambda survey: "x.y",
        # A real key with a signature made for the shared link of the same survey.
        lambda survey: (
            survey.respondents.first().link_key + "." + shared_token(survey).partition(".")[2]
        ),
    ],
    ids=["bad-signature", "no-signature", "garbage", "unknown-key", "wrong-salt"],
)
def test_a_tampered_or_unknown_link_is_a_friendly_404(client, survey, nurses, make_token):
    before = snapshot(survey, nurses)
    token = make_token(survey)
    page = client.get(url_of(token))
    assert page.status_code == 404
    assert "We could not find this survey" in page.content.decode()
    assert client.post(url_of(token), form_data(answers())).status_code == 404
    assert snapshot(survey, nurses) == before


def test_a_personal_key_does_not_open_another_survey(client, survey, shared_survey):
    # The signature is salted with the survey: re-signing under another survey fails.
    from django.core import signing

    key = survey.respondents.first().link_key
    forged = signing.Signer(sep=".", salt=f"changeready.survey.{shared_survey.id}.personal").sign(
        key
    )
    assert client.get(url_of(forged)).status_code == 404


def test_a_link_expires_after_the_closing_date_and_grace_period(client, survey):
    today = timezone.localdate()
    survey.closes_on = today - datetime.timedelta(days=GRACE_DAYS)
    survey.save()
    assert client.get(personal_link(survey)).status_code == 200  # last day of grace
    survey.closes_on = today - datetime.timedelta(days=GRACE_DAYS + 1)
    survey.save()
    page = client.get(personal_link(survey))
    assert page.status_code == 410
    assert "This survey has closed" in page.content.decode()
    assert client.post(personal_link(survey), form_data(answers())).status_code == 410
    assert not Response.objects.exists()


def test_a_closed_survey_says_so_politely(client, survey):
    services.close_survey(survey)
    page = client.get(personal_link(survey))
    assert page.status_code == 410
    assert "This survey has closed" in page.content.decode()
    assert client.post(personal_link(survey), form_data(answers())).status_code == 410
    assert not Response.objects.exists()


def test_a_withdrawn_survey_or_respondent_link_no_longer_works(client, survey):
    ana_link = personal_link(survey)
    ben_link = personal_link(survey, "ben@northwind.example")
    services.revoke_respondent(survey.respondents.get(email="ana@northwind.example"))
    assert client.get(ana_link).status_code == 410
    assert "no longer works" in client.get(ana_link).content.decode()
    assert client.post(ana_link, form_data(answers())).status_code == 410
    assert client.get(ben_link).status_code == 200
    services.revoke_survey(survey)
    assert client.get(ben_link).status_code == 410
    assert client.post(ben_link, form_data(answers())).status_code == 410
    assert not Response.objects.exists()


def test_an_answer_sent_from_a_page_opened_before_closing_is_refused(client, survey):
    link = personal_link(survey)
    assert client.get(link).status_code == 200
    services.close_survey(survey)
    assert client.post(link, form_data(answers())).status_code == 410
    assert not Response.objects.exists()


# --- The shared link -----------------------------------------------------------------


def test_the_shared_link_counts_a_browser_once(shared_survey, nurses):
    link = url_of(shared_token(shared_survey))
    ana, ben = Client(), Client()
    ana.post(link, form_data(answers(2)))
    ana.post(link, form_data(answers(4)))  # the same browser: replaces
    ben.post(link, form_data(answers(5)))
    assert Response.objects.count() == 2
    nurses.refresh_from_db()
    assert nurses.adkar_responses == 2
    assert nurses.adkar_awareness == 4.5
    assert "answers you gave before" in ana.get(link).content.decode()
    assert "answers you gave before" not in Client().get(link).content.decode()


def test_someone_else_on_the_same_device_counts_separately(shared_survey):
    link = url_of(shared_token(shared_survey))
    kiosk = Client()
    kiosk.post(link, form_data(answers(2)))
    assert "someone else answering on this device" in kiosk.get(link).content.decode()
    kiosk.post(link, form_data(answers(5), new_person="on"))
    kiosk.post(link, form_data(answers(4)))  # replaces the second person's answer
    assert sorted(r.answers["awareness"][0] for r in Response.objects.all()) == [2, 4]


def test_a_forged_browser_cookie_cannot_replace_someone_elses_answer(shared_survey):
    link = url_of(shared_token(shared_survey))
    Client().post(link, form_data(answers(2)))
    victim = Response.objects.get()
    attacker = Client()
    attacker.cookies["survey_answer"] = victim.browser_key
    attacker.post(link, form_data(answers(5)))
    victim.refresh_from_db()
    assert victim.answers == answers(2)
    assert Response.objects.count() == 2


# --- Done when ---------------------------------------------------------------------------


def test_three_respondents_answering_through_their_links_move_the_barrier(
    client, survey, nurses, engagement
):
    def barrier():
        data = load_engagement_data([engagement])[str(engagement.id)]
        return assess(data, timezone.localdate()).stakeholders[0].barrier

    assert barrier() == "awareness"
    people = ["ana@northwind.example", "ben@northwind.example", "cleo@northwind.example"]
    # Ana answers twice; only her second answer counts.
    Client().post(personal_link(survey, people[0]), form_data(answers(1)))
    for email, pair in zip(people, [(2, 3), (3, 2), (2, None)], strict=True):
        Client().post(personal_link(survey, email), form_data(answers(5, knowledge=pair)))
    assert barrier() == "knowledge"
    nurses.refresh_from_db()
    assert nurses.adkar_responses == 3
    assert nurses.adkar_awareness == 5
    assert Response.objects.count() == 3


def test_free_text_with_a_control_character_is_refused_and_kept(client, survey):
    response = client.post(
        personal_link(survey), form_data(answers(5), free_text="More\x07 floor walkers")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["free_text"] == [
        "Contains a control character (U+0007); retype the text."
    ]
    assert not Response.objects.exists()
