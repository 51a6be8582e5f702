"""Letters to the person go through an outbox: written in the transaction that decided them,
sent once it commits, and sent by the next run of ``send_pending`` if the process died first.

A letter is claimed for a while before it is sent (a conditional update, so two processes do
not both take it), sent outside any transaction (a slow mail server holds no lock), then
marked sent, its address and text cleared. A refused send is tried again, up to
``RIGHTS_LETTER_ATTEMPTS`` times, then given up on and put on the request's timeline so that
staff can answer another way."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Q
from django.utils import timezone

from personvern.core.actors import Actor

from .. import config, letters
from ..choices import EventKind
from ..models import DataSubjectRequest, OutgoingLetter
from .events import log

logger = logging.getLogger(__name__)
OUTBOX_ACTOR = Actor.for_system("rights-letters")
CLAIM = datetime.timedelta(minutes=5)


def write(request: DataSubjectRequest, name: str, context: dict[str, object]) -> OutgoingLetter:
    """Render the letter in the request's language and store it, in the caller's
    transaction; ``deliver`` sends it once that commits."""
    subject, body = letters.render(request, name, dict(context))
    return OutgoingLetter.objects.create(
        request=request, name=name, recipient=request.contact_email, subject=subject, body=body
    )


def _claim(letter_id: int, now: datetime.datetime) -> bool:
    claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        OutgoingLetter.objects.filter(claimable, pk=letter_id, sent_at__isnull=True,
                                      failed_at__isnull=True)
        .update(claimed_until=now + CLAIM)
    )  # fmt: skip


def deliver(letter_id: int) -> bool:
    """Send one pending letter; returns whether it went. Safe to call from any process."""
    now = timezone.now()
    if not _claim(letter_id, now):
        return False
    letter = OutgoingLetter.objects.select_related("request").get(pk=letter_id)
    try:
        letters.send_mail([letter.recipient], letter.subject, letter.body)
    except letters.MAIL_ERRORS as exc:
        _refused(letter, exc)
        return False
    OutgoingLetter.objects.filter(pk=letter_id).update(
        sent_at=timezone.now(), attempts=letter.attempts + 1, recipient="", body="",
        claimed_until=None, last_error="",
    )  # fmt: skip
    return True


def _refused(letter: OutgoingLetter, exc: BaseException) -> None:
    letters.log_failure(letter.name, letter.request.reference, exc)
    attempts = letter.attempts + 1
    given_up = attempts >= config.letter_attempts()
    OutgoingLetter.objects.filter(pk=letter.pk).update(
        attempts=attempts, last_error=type(exc).__name__, claimed_until=None,
        failed_at=timezone.now() if given_up else None,
    )  # fmt: skip
    if given_up:
        log(
            request=letter.request,
            kind=EventKind.LETTER_FAILED,
            actor=OUTBOX_ACTOR,
            detail={"letter": letter.name, "attempts": attempts, "error": type(exc).__name__},
        )


def send_pending() -> int:
    """Send every letter still waiting (its process died, or the mail server refused it
    before); returns how many went. Run every minute by the scheduler."""
    pending = OutgoingLetter.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(deliver(pk) for pk in list(pending))
