"""Background work: survey emails (django-tasks).

Queued on commit by the services; the immediate backend runs them in the
request, the database backend in `manage.py db_worker`. Arguments are ids as
text so every backend can serialise them.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django_tasks import task

from changeready.common.mail import send_email
from changeready.surveys.links import personal_url
from changeready.surveys.models import Respondent

EMAIL_KINDS = ("invitation", "reminder")


@task()
def send_survey_email(respondent_id: str, kind: str) -> bool:
    """Email one respondent their personal link; False if the link no longer applies
    or the email could not be sent (the failure is logged)."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"Unknown survey email kind {kind!r}.")
    respondent = (
        Respondent.objects.select_related("survey")
        .filter(id=respondent_id, revoked_at__isnull=True, survey__revoked_at__isnull=True)
        .first()
    )
    if respondent is None:
        # Withdrawn between queueing and sending: the link would not work.
        return False
    survey = respondent.survey
    context = {
        "kind": kind,
        "respondent": respondent,
        "survey": survey,
        "link": personal_url(respondent),
    }
    subject = survey.title if kind == "invitation" else f"Reminder: {survey.title}"
    return send_email(
        subject=subject,
        message=render_to_string("surveys/email/survey.txt", context),
        to=respondent.email,
    )
