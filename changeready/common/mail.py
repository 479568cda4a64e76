"""Sending email: one subject rule, and a failure that is recorded, never raised.

Subjects carry user text (a workspace, engagement or survey name). A line
break in a header makes Django refuse the whole message, and a send that
fails after the data is committed must not turn the request into a 500 nor
vanish: `send_email` logs the failure (with the traceback) and answers False.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction

from changeready.common.text import printable

logger = logging.getLogger(__name__)

MAX_SUBJECT_LENGTH = 150


def subject_line(text: str) -> str:
    """An email subject from text that may hold user input: one line, no control characters."""
    line = " ".join(printable(text, multiline=False).split())
    if len(line) > MAX_SUBJECT_LENGTH:
        line = line[: MAX_SUBJECT_LENGTH - 1].rstrip() + "…"
    return line


def send_email(*, subject: str, message: str, to: str) -> bool:
    """Send one email now; False, with the failure logged, when it could not be sent."""
    try:
        send_mail(
            subject=subject_line(subject), message=message, from_email=None, recipient_list=[to]
        )
    except Exception:  # a bad address or a mail server down must not fail the caller
        logger.exception("Email %r to %s could not be sent", subject_line(subject), to)
        return False
    return True


def send_email_after_commit(*, subject: str, message: str, to: str) -> None:
    """Send once the current transaction commits: nothing is sent for a write rolled back."""
    transaction.on_commit(lambda: send_email(subject=subject, message=message, to=to))
