"""Letters to the person (and reminders to staff), in Norwegian bokmål or English.

Each letter is a template per language, ``rights/letters/<nb|en>/<name>.txt``, whose first
line is the subject. Letters about a state change go through the outbox
(``services.outbox``): sent after the change commits, so nobody is told of something that was
rolled back, and sent later if the process died first; the exceptions are the notices that must
reach the person before a restriction is lifted (``send_now``) and the staff reminder, which is
recorded only once it has gone (``send_staff``). Both raise a ``DomainError`` when the mail
server refuses, so that what follows does not happen.

A failed send is logged with the letter's name, the request's reference and the exception's
class only: the mail server's error text usually quotes the recipient's address."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from personvern.core.config import portal_url
from personvern.core.errors import DomainError
from personvern.organisation.selectors import get_controller

from .choices import RightsErrorCode
from .models import DataSubjectRequest

logger = logging.getLogger(__name__)
# What a failed send raises (SMTPException is an OSError; named for the reader).
MAIL_ERRORS = (OSError, SMTPException)

# Labels of what erasure kept, per language (the reply must be clear without translations).
KEPT_REASONS = {
    "nb": {
        "legal_hold": "Holdes tilbake på grunn av en tvist, et krav eller en pågående sak",
        "bokforingsloven_13": "Bokføringsloven § 13 krever at regnskapsmateriale oppbevares",
        "hvitvaskingsloven_30": "Hvitvaskingsloven § 30 krever at kundekontroll oppbevares",
        "gdpr_art_7_1": "Dokumentasjon av samtykker (personvernforordningen art. 7 nr. 1), "
        "uten navn eller kontaktopplysninger",
    },
    "en": {
        "legal_hold": "Held because of a dispute, a claim or an ongoing case",
        "bokforingsloven_13": "The Bookkeeping Act (bokføringsloven § 13) requires us to keep "
        "bookkeeping material",
        "hvitvaskingsloven_30": "The Anti-Money Laundering Act (hvitvaskingsloven § 30) requires "
        "us to keep customer due diligence",
        "gdpr_art_7_1": "Proof of consent (GDPR Art. 7(1)), without your name or contact details",
    },
}
TYPE_LABELS = {
    "nb": {
        "access": "innsyn i opplysningene dine",
        "rectification": "retting av opplysningene dine",
        "erasure": "sletting av opplysningene dine",
        "restriction": "begrensning av behandlingen",
        "objection": "innsigelse mot behandlingen",
        "consent_withdrawal": "tilbaketrekking av samtykke",
        "portability": "dataportabilitet (utlevering i maskinlesbart format)",
    },
    "en": {
        "access": "access to your data",
        "rectification": "rectification of your data",
        "erasure": "erasure of your data",
        "restriction": "restriction of processing",
        "objection": "objection to processing",
        "consent_withdrawal": "withdrawal of consent",
        "portability": "data portability (your data in a machine-readable format)",
    },
}
RECORD_TYPES = {
    "nb": {
        "person": "Personopplysningene dine (hele oppføringen)",
        "interaction": "En henvendelse",
        "job_application": "En jobbsøknad",
        "bookkeeping_record": "Regnskapsbilag",
        "due_diligence_record": "Kundekontroll",
        "consent_ledger": "Samtykkelogg",
    },
    "en": {
        "person": "Your personal data (the whole record)",
        "interaction": "An interaction",
        "job_application": "A job application",
        "bookkeeping_record": "Bookkeeping voucher",
        "due_diligence_record": "Customer due diligence",
        "consent_ledger": "Consent ledger",
    },
}


def _base_context(request: DataSubjectRequest) -> dict[str, Any]:
    controller = get_controller()
    return {
        "request": request,
        "reference": request.reference,
        "deadline": request.deadline,
        "controller": controller,
        "authority": controller.supervisory_authority if controller else None,
        "portal_url": portal_url(),
    }


def render(request: DataSubjectRequest, name: str, context: dict[str, Any]) -> tuple[str, str]:
    language = request.language if request.language in ("nb", "en") else "nb"
    with translation.override(language):
        context = {**_base_context(request), **context}
        context["type_label"] = TYPE_LABELS[language][request.request_type]
        text = render_to_string(f"rights/letters/{language}/{name}.txt", context)
    subject, _blank, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_mail(to: Sequence[str], subject: str, body: str) -> None:
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    ).send()


def log_failure(name: str, reference: str, exc: BaseException) -> None:
    # The letter's name, the reference and the exception's class only: an SMTP error's text
    # (and so its traceback) usually quotes the recipient's address.
    logger.error(
        "letter %s for request %s could not be sent (%s)", name, reference, type(exc).__name__
    )


def mail_failed() -> DomainError:
    return DomainError(
        code=RightsErrorCode.MAIL_FAILED,
        status=503,
        message=_("The letter could not be sent, so nothing was changed. Try again later."),
    )


def send_now(request: DataSubjectRequest, name: str, context: dict[str, Any]) -> None:
    """Send at once; if the mail server refuses, raise ``mail_failed()`` (without the server's
    text, which names the address) so that what follows does not happen."""
    subject, body = render(request, name, context)
    try:
        send_mail([request.contact_email], subject, body)
    except MAIL_ERRORS as exc:
        log_failure(name, request.reference, exc)
        raise mail_failed() from None


def send_staff(recipients: Sequence[str], name: str, context: dict[str, Any]) -> None:
    """Send a letter to staff at once; raise ``mail_failed()`` if it could not be sent."""
    language = "en" if settings.LANGUAGE_CODE.startswith("en") else "nb"
    with translation.override(language):
        text = render_to_string(f"rights/letters/{language}/{name}.txt", context)
    subject, _blank, body = text.strip().partition("\n")
    try:
        send_mail(recipients, subject.strip(), body.strip() + "\n")
    except MAIL_ERRORS as exc:
        log_failure(name, "-", exc)
        raise mail_failed() from None
