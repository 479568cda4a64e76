"""Email subjects are built from one sanitising helper, and a failed send is
logged after the commit instead of failing the request."""

import logging

import pytest
from django.core import mail

from changeready.common import mail as common_mail
from changeready.common.mail import send_email, subject_line
from changeready.workspaces.models import Workspace
from changeready.workspaces.services import invite_member


def test_a_subject_is_one_line_without_control_characters():
    assert subject_line("Acme\r\nBcc: x@evil.example\x0b shift") == "Acme Bcc: x@evil.example shift"
    assert len(subject_line("x" * 500)) == common_mail.MAX_SUBJECT_LENGTH


@pytest.mark.django_db
def test_an_invitation_from_a_workspace_with_a_line_break_in_its_name_is_sent(
    workspace, owner, django_capture_on_commit_callbacks
):
    # Stored before names were refused with line breaks.
    Workspace.objects.filter(pk=workspace.pk).update(name="Acme\nDelivery")
    workspace.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        invite_member(
            workspace=workspace, email="new@acme.example", role="member", invited_by=owner
        )

    (message,) = mail.outbox
    assert "Acme Delivery" in message.subject and "\n" not in message.subject


def test_a_send_that_fails_is_logged_and_answered_false(monkeypatch, caplog):
    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(common_mail, "send_mail", refuse)

    with caplog.at_level(logging.ERROR, logger="changeready.common.mail"):
        sent = send_email(subject="Hello", message="Body", to="a@acme.example")

    assert sent is False
    assert "could not be sent" in caplog.text and "a@acme.example" in caplog.text
