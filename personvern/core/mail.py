"""A mail from a background job to staff (a reminder to the privacy officer): a template whose
first line is the subject and the rest the body, sent as the request replies are (from
``DEFAULT_FROM_EMAIL``). A send the mail server refuses is logged by the error's class, never
its text, and reported as ``False``, so that the job releases what it claimed and a later run
sends it. Used by the breach deadline reminders and the DPIA review reminders."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

# What a failed send raises (SMTPException is an OSError; named for the reader).
MAIL_ERRORS = (OSError, SMTPException)


def render_mail(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The subject (the template's first line) and the body (the rest)."""
    text = render_to_string(template, dict(context))
    subject, _blank, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def mail_staff(
    *, to: str, template: str, context: Mapping[str, Any], logger: logging.Logger, what: str
) -> bool:
    """Render and send; ``False`` (and an error logged as "``what`` not sent") when the mail
    server refuses. ``what`` names the mail by ids, never by personal data."""
    subject, body = render_mail(template, context)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    try:
        message.send()
    except MAIL_ERRORS as exc:
        logger.error("%s not sent (%s)", what, type(exc).__name__)
        return False
    return True
