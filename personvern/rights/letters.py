"""Letters to the person (and reminders to staff), in Norwegian bokmål or English.

Each letter is one template, ``rights/letters/<name>.txt``, whose first line is the subject,
with its text in English msgids of the gettext catalogue; it is rendered in the person's
language (bokmål from the catalogue), dates in the language's form (``date_format``).

Letters about a state change go through the outbox (``services.outbox``): sent after the
change commits, so nobody is told of something that was rolled back, and sent later if the
process died first; the exceptions are the notices that must reach the person before a
restriction is lifted (``send_now``) and the staff reminder, which is recorded only once it has
gone (``send_staff``). Both raise a ``DomainError`` when the mail
server refuses, so that what follows does not happen.

A failed send is logged with the letter's name, the request's reference and the exception's
class only: the mail server's error text usually quotes the recipient's address."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from personvern.core.config import portal_url
from personvern.core.errors import DomainError
from personvern.organisation.selectors import get_controller
from personvern.retention.choices import TargetRecord
from personvern.retention.periods import describe
from personvern.retention.selectors import strictest_rule

from .choices import AccessExemption, RightsErrorCode
from .models import DataSubjectRequest

logger = logging.getLogger(__name__)
# What a failed send raises (SMTPException is an OSError; named for the reader).
MAIL_ERRORS = (OSError, SMTPException)

# What erasure kept, why, and what a request was for: msgids of the catalogue, rendered in the
# person's language (``render`` switches to it), so the reply reads the same as the staff UI.
KEPT_REASONS: dict[str, Promise] = {
    "legal_hold": _("Held because of a dispute, a claim or an ongoing case"),
    "bokforingsloven_13": _(
        "The Bookkeeping Act (bokføringsloven § 13) requires us to keep bookkeeping material"
    ),
    "hvitvaskingsloven_30": _(
        "The Anti-Money Laundering Act (hvitvaskingsloven § 30) requires us to keep customer "
        "due diligence"
    ),
    "gdpr_art_7_1": _("Proof of consent (GDPR Art. 7(1)), without your name or contact details"),
}
TYPE_LABELS: dict[str, Promise] = {
    "access": _("access to your data"),
    "rectification": _("rectification of your data"),
    "erasure": _("erasure of your data"),
    "restriction": _("restriction of processing"),
    "objection": _("objection to processing"),
    "consent_withdrawal": _("withdrawal of consent"),
    "portability": _("data portability (your data in a machine-readable format)"),
}
RECORD_TYPES: dict[str, Promise] = {
    "person": _("Your personal data (the whole record)"),
    "interaction": _("An interaction"),
    "job_application": _("A job application"),
    "bookkeeping_record": _("Bookkeeping voucher"),
    "due_diligence_record": _("Customer due diligence"),
    "consent_ledger": _("Consent ledger"),
}


# What the person is told of each ground of a partial refusal of access (precise, as
# personopplysningsloven § 16 third paragraph asks). The ground of hvitvaskingsloven § 28 is
# told as the duty of confidentiality it is, without naming the Act: naming it would tell.
LETTER_GROUNDS: dict[str, Promise] = {
    AccessExemption.CRIME_PREVENTION: _(
        "personopplysningsloven § 16 first paragraph (b): information that must be kept secret "
        "to prevent, investigate, detect or prosecute criminal offences"
    ),
    AccessExemption.CONFIDENTIALITY: _(
        "personopplysningsloven § 16 first paragraph (d): information subject to a statutory "
        "duty of confidentiality"
    ),
    AccessExemption.MONEY_LAUNDERING_REPORT: _(
        "personopplysningsloven § 16 first paragraph (d): information subject to a statutory "
        "duty of confidentiality"
    ),
    AccessExemption.INTERNAL_PREPARATION: _(
        "personopplysningsloven § 16 first paragraph (e): documents prepared only for the "
        "internal preparation of a case and not given to anyone else"
    ),
}
# Grounds on which the officer's reason is never sent (telling it would break the law).
SILENT_GROUNDS = frozenset({AccessExemption.MONEY_LAUNDERING_REPORT})


def exemption_of(request: DataSubjectRequest) -> dict[str, Any] | None:
    """The partial refusal of an access request as the letter and report tell it: the ground
    in the person's words, and the reason unless the ground forbids it (None: no refusal)."""
    decided = (request.result or {}).get("exemption")
    if not decided:
        return None
    ground = decided["ground"]
    return {
        "ground": LETTER_GROUNDS.get(ground, ground),
        "reason": None if ground in SILENT_GROUNDS else request.refusal_reason,
        "withheld": decided["withheld"],
    }


def label(labels: dict[str, Promise], key: str) -> str:
    """``key``'s label in the active language; an unknown key as it is."""
    return str(labels[key]) if key in labels else key


def request_record_retention() -> dict[str, Any]:
    """What the reply says about the record of the request itself, kept as proof that it was
    handled (GDPR Art. 5(2)): the period of the retention rule the sweep applies to answered
    requests, in the letter's language (``period`` None: no rule yet)."""
    rule = strictest_rule(TargetRecord.DATA_SUBJECT_REQUESTS)
    return {"period": None if rule is None else lazy(describe, str)(rule.period)}


def erasure_context(
    *,
    kept: Sequence[Mapping[str, Any]] = (),
    pending: Sequence[Mapping[str, Any]] = (),
    outcomes: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The erasure reply's context. ``kept``: records kept by law ({what, reason, until});
    ``pending``: what is not erased yet ({what, reason}); ``outcomes``: one row per system
    ({system, outcome}) for a reply that reports system by system. The letter says "erased"
    without qualification only when nothing is kept or pending, and always names the record
    of the request, which is kept."""
    return {
        "kept": list(kept),
        "pending": list(pending),
        "outcomes": list(outcomes),
        "partial": bool(kept or pending),
        "request_record": request_record_retention(),
    }


def authority_contact(authority: Any) -> str:
    """The supervisory authority as a letter names it: "Datatilsynet (website), e-mail"; "the
    data protection authority" in the active language when none is registered."""
    if authority is None:
        return str(_("the data protection authority"))
    website = f" ({authority.website})" if authority.website else ""
    email = f", {authority.email}" if authority.email else ""
    return f"{authority.name}{website}{email}"


def _base_context(request: DataSubjectRequest) -> dict[str, Any]:
    controller = get_controller()
    authority = controller.supervisory_authority if controller else None
    return {
        "request": request,
        "reference": request.reference,
        "deadline": request.deadline,
        "controller": controller,
        "authority": authority,
        "authority_contact": authority_contact(authority),
        "portal_url": portal_url(),
        "exemption": exemption_of(request),
    }


def load_templates() -> None:
    """Compile every letter's template (and the access report's) into the template cache:
    run when a worker starts, so that its first request is answered as fast as the next."""
    directory = Path(__file__).parent / "templates" / "rights" / "letters"
    for path in sorted(directory.glob("*.txt")):
        get_template(f"rights/letters/{path.name}")
    get_template("rights/report.html")


def _render_letter(name: str, context: dict[str, Any]) -> str:
    """The letter in the active language."""
    context = {**context, "date_format": gettext("j F Y")}
    return render_to_string(f"rights/letters/{name}.txt", context)


def render(request: DataSubjectRequest, name: str, context: dict[str, Any]) -> tuple[str, str]:
    language = request.language if request.language in ("nb", "en") else "nb"
    with translation.override(language):
        context = {**_base_context(request), **context}
        context["type_label"] = label(TYPE_LABELS, request.request_type)
        text = _render_letter(name, context)
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
        text = _render_letter(name, context)
    subject, _blank, body = text.strip().partition("\n")
    try:
        send_mail(recipients, subject.strip(), body.strip() + "\n")
    except MAIL_ERRORS as exc:
        log_failure(name, "-", exc)
        raise mail_failed() from None
