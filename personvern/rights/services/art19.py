"""GDPR Art. 19: after a rectification, erasure or restriction, every recipient and processor
registered (``Art19Recipient``) for the active activities that concern the person is told,
by a letter in its language through the outbox (sent after commit, retried), recorded as an
``Art19Notice`` with the SHA-256 of what was sent.

Who is concerned is worked out while the person is still in the register: an erasure notes
the recipients when it starts (``note_recipients``), since the person is gone by its end."""

from __future__ import annotations

import hashlib
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from personvern.organisation.selectors import get_controller
from personvern.register.models import Person

from ..choices import RequestType
from ..models import Art19Notice, Art19Recipient, DataSubjectRequest, OutgoingLetter
from ..package import activities_for
from . import outbox

NOTIFIED_TYPES = frozenset(
    {RequestType.RECTIFICATION, RequestType.ERASURE, RequestType.RESTRICTION}
)
KEY = "art19_recipients"


def recipients_for(person: Person) -> list[int]:
    activities = activities_for(person)
    processors = {p.pk for a in activities for p in a.processors.all()}
    return sorted(
        Art19Recipient.objects.filter(enabled=True)
        .filter(Q(processor_id__in=processors) | Q(activities__in=[a.pk for a in activities]))
        .values_list("pk", flat=True)
        .distinct()
    )


def note_recipients(request: DataSubjectRequest) -> None:
    """Remember who is concerned while the person is known (once; the caller saves)."""
    if KEY not in request.result and request.person is not None:
        request.result = {**request.result, KEY: recipients_for(request.person)}


def notify(request: DataSubjectRequest) -> list[Art19Notice]:
    """Write the notices (in the caller's transaction; sent once it commits)."""
    if request.request_type not in NOTIFIED_TYPES:
        return []
    ids = request.result.get(KEY)
    if ids is None:
        ids = recipients_for(request.person) if request.person is not None else []
    controller = get_controller()
    done = set(request.art19_notices.values_list("recipient_id", flat=True))
    notices = []
    for recipient in Art19Recipient.objects.filter(pk__in=ids).exclude(pk__in=done):
        language = recipient.language if recipient.language in ("nb", "en") else "nb"
        with translation.override(language):
            text = render_to_string(
                "rights/letters/art19_notice.txt",
                {
                    "request": request,
                    "recipient": recipient,
                    "controller": controller,
                    "email": request.contact_email,
                },
            )
        subject, _blank, body = text.strip().partition("\n")
        subject, body = subject.strip(), body.strip() + "\n"
        letter = OutgoingLetter.objects.create(
            request=request, name="art19_notice", recipient=recipient.email, subject=subject,
            body=body,
        )  # fmt: skip
        digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()
        notices.append(
            Art19Notice.objects.create(
                request=request, recipient=recipient, letter=letter, digest=digest
            )
        )
        transaction.on_commit(partial(outbox.deliver, letter.pk))
    return notices
