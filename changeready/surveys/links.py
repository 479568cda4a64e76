"""The links respondents open: signed, unguessable, expiring and revocable.

A token is `<key>.<signature>`. The key is 128 random bits stored on the
respondent (personal link) or the survey (shared link); it names nothing else
in the app. The signature (django.core.signing, keyed by SECRET_KEY) uses a
salt that includes the survey's id, so a key cannot be replayed against
another survey and a token cannot be forged from a leaked key alone.
Expiry and revocation are read from the database on every use: a link stops
working when the survey is closed, withdrawn or past its grace period, or
when its respondent is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.urls import reverse

from changeready.surveys.models import Respondent, Survey, SurveyStatus

SEPARATOR = "."


def _signer(survey_id, kind: str) -> signing.Signer:
    return signing.Signer(sep=SEPARATOR, salt=f"changeready.survey.{survey_id}.{kind}")


def personal_token(respondent: Respondent) -> str:
    return _signer(respondent.survey_id, "personal").sign(respondent.link_key)


def shared_token(survey: Survey) -> str:
    return _signer(survey.id, "shared").sign(survey.link_key)


def absolute(token: str) -> str:
    return settings.SITE_URL + reverse("survey_respond", args=[token])


def personal_url(respondent: Respondent) -> str:
    return absolute(personal_token(respondent))


def shared_url(survey: Survey) -> str:
    return absolute(shared_token(survey))


class LinkInvalid(Exception):
    """The token is malformed, forged or unknown: nothing to say about it."""


@dataclass(frozen=True)
class SurveyLink:
    survey: Survey
    respondent: Respondent | None  # None for the shared link

    def refusal(self, today: date) -> str | None:
        """Why this link cannot take answers now (`closed`, `revoked`), or None."""
        status = self.survey.status(today)
        if status != SurveyStatus.OPEN:
            return status
        if self.respondent is not None and self.respondent.revoked_at:
            return SurveyStatus.REVOKED
        return None


def resolve(token: str) -> SurveyLink:
    """The survey (and respondent) a token stands for, or LinkInvalid."""
    key, sep, _ = token.partition(SEPARATOR)
    if not sep or not key:
        raise LinkInvalid
    respondent = Respondent.objects.select_related("survey").filter(link_key=key).first()
    if respondent is not None:
        survey, kind = respondent.survey, "personal"
    else:
        survey = Survey.objects.filter(link_key=key, mode="shared").first()
        if survey is None:
            raise LinkInvalid
        kind = "shared"
    try:
        _signer(survey.id, kind).unsign(token)
    except signing.BadSignature:
        raise LinkInvalid from None
    return SurveyLink(survey=survey, respondent=respondent)
