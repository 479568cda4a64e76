"""Writes for pulse surveys. The web views, the respondent page and the API call these.

Results: every recorded answer recomputes the survey's result from all its
responses and writes it to the stakeholders it was sent for (through the
landscape's `update_stakeholder`), in the same transaction. Answers to one
survey are serialised by a lock on the survey row, so two people answering at
once are both counted: the second recomputation waits and sees the first.

Results apply below the anonymity threshold too: the barrier, the risk and
the findings need the measurement, while the survey pages hide results until
three people have answered (see `results.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from changeready.activity.services import record_activity
from changeready.common.text import text_problem
from changeready.landscape.models import Stakeholder
from changeready.landscape.services import update_stakeholder
from changeready.surveys.links import SurveyLink
from changeready.surveys.models import (
    DEFAULT_OPEN_DAYS,
    Respondent,
    Response,
    Survey,
    SurveyMode,
    SurveyStatus,
    new_link_key,
)
from changeready.surveys.questionnaire import ElementResult, aggregate, validate_answers
from changeready.surveys.tasks import send_survey_email

MAX_RESPONDENTS = 500
# The ADKAR source of scores a survey measured: they do not age like estimates.
SURVEY_ADKAR = "survey"
# Someone reminded less than this long ago is not reminded again (a double
# click, or two colleagues pressing the button the same morning).
REMINDER_INTERVAL = timedelta(hours=20)


class SurveyClosed(Exception):
    """The link no longer takes answers; `reason` is a SurveyStatus value."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"This survey link no longer takes answers ({reason}).")


def parse_respondents(text: str) -> list[tuple[str, str]]:
    """(name, email) pairs from pasted text: one per line (or separated by
    semicolons, as mail programs copy them), as `Name <email>` or `email`.

    Repeated addresses are kept once. Raises ValidationError listing every bad line.
    """
    entries: dict[str, tuple[str, str]] = {}
    errors = []
    for number, line in enumerate(text.replace(";", "\n").splitlines(), start=1):
        line = line.strip().rstrip(",")
        if not line:
            continue
        name, email = parseaddr(line)
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"Line {number}: “{line}” is not “Name <email>” or an email address.")
            continue
        entries.setdefault(email.lower(), (name.strip(), email.lower()))
    if errors:
        raise ValidationError(errors)
    return list(entries.values())


def _clean_respondents(respondents: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    unique: dict[str, tuple[str, str]] = {}
    for name, email in respondents:
        email = (email or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"respondents": f"“{email}” is not an email address."}) from None
        name = (name or "").strip()[:200]
        problem = text_problem(name, multiline=False)
        if problem:
            raise ValidationError({"respondents": f"The name for {email}: {problem}"})
        unique.setdefault(email, (name, email))
    if len(unique) > MAX_RESPONDENTS:
        raise ValidationError(
            {"respondents": f"At most {MAX_RESPONDENTS} people per survey; split the list."}
        )
    return list(unique.values())


def default_title(engagement) -> str:
    """The title a survey gets when none is typed; a long product name is shortened to fit."""
    template = "How ready are you for {}?"
    room = Survey._meta.get_field("title").max_length - len(template.format(""))
    product = engagement.product or "the new system"
    if len(product) > room:
        product = product[: room - 1].rstrip() + "…"
    return template.format(product)


def default_intro(engagement) -> str:
    return (
        f"We are introducing {engagement.product or 'a new system'} and want to know how it is "
        "going for you. Your answers show where training and support are needed most."
    )


@transaction.atomic
def create_survey(
    *,
    engagement,
    created_by,
    stakeholder_ids: Iterable,
    respondents: Iterable[tuple[str, str]] = (),
    title: str = "",
    intro: str | None = None,
    free_text_question: str = "",
    closes_on: date | None = None,
    today: date | None = None,
) -> Survey:
    """Create a survey for stakeholders of `engagement` and queue the invitations.

    With respondents, each gets a personal link by email; without, the
    survey has one shared link for the team to pass on.
    """
    today = today or timezone.localdate()
    wanted = {str(stakeholder_id) for stakeholder_id in stakeholder_ids}
    stakeholders = list(Stakeholder.objects.filter(engagement=engagement, id__in=wanted))
    errors: dict[str, str] = {}
    if not wanted:
        errors["stakeholders"] = "Choose at least one stakeholder the survey is for."
    elif len(stakeholders) != len(wanted):
        errors["stakeholders"] = "Choose stakeholders of this engagement."
    closes_on = closes_on or today + timedelta(days=DEFAULT_OPEN_DAYS)
    if closes_on < today:
        errors["closes_on"] = "The closing date cannot be in the past."
    if errors:
        raise ValidationError(errors)
    people = _clean_respondents(respondents)
    survey = Survey(
        engagement=engagement,
        created_by=created_by,
        mode=SurveyMode.PERSONAL if people else SurveyMode.SHARED,
        title=(title or "").strip() or default_title(engagement),
        intro=default_intro(engagement) if intro is None else intro.strip(),
        free_text_question=(free_text_question or "").strip(),
        closes_on=closes_on,
    )
    survey.full_clean(exclude=["created_by"])
    survey.save()
    survey.stakeholders.set(stakeholders)
    now = timezone.now()
    invited = Respondent.objects.bulk_create(
        Respondent(survey=survey, name=name, email=email, invited_at=now) for name, email in people
    )
    for respondent in invited:
        transaction.on_commit(partial(send_survey_email.enqueue, str(respondent.id), "invitation"))
    _record(survey, created_by, "created")
    return survey


def _record(survey: Survey, actor, verb: str, detail: str = "") -> None:
    record_activity(
        survey.engagement,
        actor=actor,
        verb=verb,
        obj_type="survey",
        obj_id=survey.id,
        label=survey.title,
        detail=detail,
    )


@transaction.atomic
def record_response(
    link: SurveyLink,
    answers,
    free_text: str = "",
    *,
    browser_key: str | None = None,
    today: date | None = None,
) -> Response:
    """Record (or replace) one person's answers and apply the survey's result.

    A personal link has one response: answering again replaces it. On the
    shared link, `browser_key` (from the answering browser's signed cookie)
    names the response that browser gave before, which is replaced; without
    it a new response is counted.
    """
    today = today or timezone.localdate()
    answers = validate_answers(answers)
    # The lock serialises answers to this survey (see the module docstring).
    survey = Survey.objects.select_for_update().get(pk=link.survey.pk)
    respondent = None
    if link.respondent is not None:
        respondent = Respondent.objects.get(pk=link.respondent.pk)
    refusal = SurveyLink(survey=survey, respondent=respondent).refusal(today)
    if refusal:
        raise SurveyClosed(refusal)
    values = {
        "answers": answers,
        "free_text": (free_text or "").strip()[:4000] if survey.free_text_question else "",
    }
    if respondent is not None:
        response, _ = Response.objects.update_or_create(
            respondent=respondent, defaults={"survey": survey, **values}
        )
    elif browser_key:
        response, _ = Response.objects.update_or_create(
            survey=survey, browser_key=browser_key, defaults=values
        )
    else:
        response = Response.objects.create(survey=survey, browser_key=new_link_key(), **values)
    apply_results(survey, today=today)
    return response


@transaction.atomic
def apply_results(survey: Survey, *, today: date | None = None) -> dict[str, ElementResult]:
    """Set the ADKAR scores of the survey's stakeholders to its result.

    Each element's score becomes the mean over respondents of their element
    scores; an element nobody answered leaves the stakeholder's value as it
    was. The stakeholder is marked measured (the date and the number of
    responses). A stakeholder that a newer survey has already measured keeps
    that newer result.

    The activity history gets one event for the survey, without scores and
    without anyone's name: with one or two responses, scores next to the time
    of an answer would tell whose answer it was.
    """
    today = today or timezone.localdate()
    responses = list(Response.objects.filter(survey=survey).values_list("answers", "submitted_at"))
    answers = [answer for answer, _ in responses]
    results = aggregate(answers)
    scores = {
        f"adkar_{element}": result.mean
        for element, result in results.items()
        if result.mean is not None
    }
    if not scores:
        return results
    measured_by_newer = Survey.objects.filter(
        stakeholders=OuterRef("pk"),
        created_at__gt=survey.created_at,
        responses__isnull=False,
    )
    stakeholders = (
        Stakeholder.objects.select_for_update(of=("self",))
        .filter(surveys=survey)
        .select_related("engagement")
        .exclude(Exists(measured_by_newer))
    )
    updated = 0
    for stakeholder in stakeholders:
        update_stakeholder(
            stakeholder,
            expected_version=None,
            record=False,
            adkar_measured_on=today,
            adkar_responses=len(answers),
            # Measured, as of the last answer (docs/domain.md, ADKAR source).
            adkar_source=SURVEY_ADKAR,
            adkar_assessed_on=timezone.localdate(max(at for _, at in responses)),
            **scores,
        )
        updated += 1
    if updated:
        responses = f"{len(answers)} response{'s' * (len(answers) != 1)}"
        _record(
            survey,
            None,
            "applied",
            f"{responses}; ADKAR scores of {updated} stakeholder{'s' * (updated != 1)} updated",
        )
    return results


@transaction.atomic
def close_survey(survey: Survey, *, now: datetime | None = None, actor=None) -> bool:
    """Stop taking answers; the answers so far and their results stay."""
    closed = bool(
        Survey.objects.filter(pk=survey.pk, closed_at__isnull=True, revoked_at__isnull=True).update(
            closed_at=now or timezone.now()
        )
    )
    if closed:
        _record(survey, actor, "closed")
    return closed


@transaction.atomic
def revoke_survey(survey: Survey, *, now: datetime | None = None, actor=None) -> bool:
    """Withdraw the survey: every link stops working at once. Answers already
    given and the results they set are kept."""
    revoked = bool(
        Survey.objects.filter(pk=survey.pk, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
    )
    if revoked:
        _record(survey, actor, "revoked")
    return revoked


def revoke_respondent(respondent: Respondent, *, now: datetime | None = None) -> bool:
    """Withdraw one personal link (sent to the wrong person, or forwarded)."""
    return bool(
        Respondent.objects.filter(pk=respondent.pk, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
    )


@transaction.atomic
def send_reminders(survey: Survey, *, now: datetime | None = None) -> int:
    """Queue a reminder to each invited person who has not answered; returns how many.

    People reminded within REMINDER_INTERVAL are skipped; the rows are locked
    so two presses at once cannot remind anyone twice.
    """
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_shared:
        raise ValidationError("A shared-link survey has no list of people to remind.")
    if survey.status(timezone.localdate(now)) != SurveyStatus.OPEN:
        raise ValidationError("This survey no longer takes answers.")
    due = list(
        Respondent.objects.select_for_update(of=("self",))
        .filter(survey=survey, revoked_at__isnull=True)
        .exclude(Exists(Response.objects.filter(respondent=OuterRef("pk"))))
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMINDER_INTERVAL))
        .values_list("id", flat=True)
    )
    Respondent.objects.filter(id__in=due).update(reminded_at=now)
    for respondent_id in due:
        transaction.on_commit(partial(send_survey_email.enqueue, str(respondent_id), "reminder"))
    return len(due)
