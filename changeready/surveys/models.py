"""Pulse surveys: a questionnaire sent for stakeholders, its respondents and their answers.

A survey is reached from its workspace through its engagement
(`for_workspace`). Respondents have no account; they reach their survey
through a signed link (see `links.py`) that carries only a random key.
"""

import secrets
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models

from changeready.common.models import CheckedTextModel

# Links keep accepting answers for a few days after the closing date, so a
# reminder sent on the last day, or a reader in another time zone, is not
# turned away; after that the link has expired.
GRACE_DAYS = 3
DEFAULT_OPEN_DAYS = 14


def new_link_key() -> str:
    """A random, URL-safe key (128 bits): what a link carries instead of an id."""
    return secrets.token_urlsafe(16)


class SurveyStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    REVOKED = "revoked", "Withdrawn"


class SurveyMode(models.TextChoices):
    PERSONAL = "personal", "Personal links"
    SHARED = "shared", "One shared link"


class SurveyQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)


class Survey(CheckedTextModel, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="surveys"
    )
    # The stakeholders the survey is sent for: its result sets their ADKAR scores.
    stakeholders = models.ManyToManyField("landscape.Stakeholder", related_name="surveys")
    mode = models.CharField(max_length=10, choices=SurveyMode.choices, default=SurveyMode.PERSONAL)
    # Customer-facing: the only engagement text a respondent ever sees.
    title = models.CharField(max_length=200)
    intro = models.TextField(max_length=2000, blank=True)
    free_text_question = models.CharField(max_length=300, blank=True)
    closes_on = models.DateField()
    # The key of the one shared link (shared mode); personal keys live on respondents.
    link_key = models.CharField(max_length=32, unique=True, default=new_link_key, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Closed early by the team (answers kept, links stop accepting answers).
    closed_at = models.DateTimeField(null=True, blank=True)
    # Withdrawn (sent by mistake, or a link leaked): links stop working at once.
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.mode == SurveyMode.SHARED

    @property
    def answers_until(self) -> date:
        return self.closes_on + timedelta(days=GRACE_DAYS)

    def status(self, today: date) -> str:
        if self.revoked_at:
            return SurveyStatus.REVOKED
        if self.closed_at or today > self.answers_until:
            return SurveyStatus.CLOSED
        return SurveyStatus.OPEN


class RespondentQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(survey__engagement__workspace=workspace)


class Respondent(CheckedTextModel, models.Model):
    """One person invited through a personal link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    link_key = models.CharField(max_length=32, unique=True, default=new_link_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the invitation and the latest reminder were queued for sending.
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RespondentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(
                "survey", models.functions.Lower("email"), name="respondent_unique_email"
            ),
        ]

    def __str__(self):
        return self.name or self.email


class Response(CheckedTextModel, models.Model):
    """One respondent's answers. A personal link has at most one (answering
    again replaces it); a shared link gets one per person answering."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    # Shared link only: the random key the answering browser holds in a signed
    # cookie, so answering again from it replaces instead of counting twice.
    browser_key = models.CharField(max_length=32, null=True, blank=True, editable=False)
    # {"awareness": [4, None], ...}: two items per element, 1–5 or None ("not applicable").
    answers = models.JSONField()
    free_text = models.TextField(max_length=4000, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["respondent"], name="response_one_per_respondent"),
            models.UniqueConstraint(
                fields=["survey", "browser_key"], name="response_one_per_browser"
            ),
        ]

    def __str__(self):
        return f"Response to {self.survey}"
