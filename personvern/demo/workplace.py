"""A year of data subject requests in every state, so a new user finds a living workplace.

Each request goes through the rights services as staff and the portal would (received, verified
by staff, fulfilled, refused, extended, lapsed), audited as the demo actor. Afterwards its
history is moved back in time (received, verified, answered, its timeline, links and letters
shifted alike), so the home page's charts show twelve months and the deadlines fall where
they would: overdue, due soon, extended, answered early and late. The audit log keeps the real
time of loading: it says what the demo did and when.

Addresses are ``@example.no``. Requests from people in the register (a rectification, an
objection to legitimate interest) wait for staff, so they stay in progress; the others match no
one and are answered "no data held". Idempotent: nothing is added once the demo has received a
request (a lapsed request's address is cleared, so the audit log is the natural key).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from django.db.models import F
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from personvern.register.choices import SubjectCategory
from personvern.register.models import Person
from personvern.rights.choices import ObjectionScope, ReceivedChannel, RequestType
from personvern.rights.models import DataSubjectRequest, OutgoingLetter, RequestEvent
from personvern.rights.services import (
    due_on,
    extend_deadline,
    fulfil,
    lapse_unverified,
    refuse_request,
    submit_request,
    verify_by_staff,
)

Outcome = Literal["awaiting", "answered", "refused", "lapsed", "waiting_for_staff"]


@dataclass(frozen=True)
class RequestSpec:
    request_type: str
    received_days_ago: int
    outcome: Outcome
    answered_after_days: int = 0
    from_register: bool = False  # the address of someone in the register (matched)
    extend_by_days: int = 0


# Answered over the past year, two of them late; then what is open today.
REQUESTS = [
    *(
        RequestSpec(request_type, days, "answered", answered_after_days=after)
        for request_type, days, after in [
            (RequestType.ACCESS, 350, 12), (RequestType.ERASURE, 330, 25),
            (RequestType.ACCESS, 300, 8), (RequestType.PORTABILITY, 280, 29),
            (RequestType.ACCESS, 250, 33), (RequestType.CONSENT_WITHDRAWAL, 220, 1),
            (RequestType.ERASURE, 200, 14), (RequestType.ACCESS, 170, 20),
            (RequestType.OBJECTION, 150, 5), (RequestType.ACCESS, 120, 18),
            (RequestType.ERASURE, 100, 31), (RequestType.ACCESS, 80, 9),
            (RequestType.RESTRICTION, 60, 16), (RequestType.ACCESS, 45, 22),
            (RequestType.ERASURE, 30, 6), (RequestType.ACCESS, 15, 4),
        ]
    ),
    RequestSpec(RequestType.ACCESS, 190, "refused", answered_after_days=10),
    RequestSpec(RequestType.ERASURE, 40, "refused", answered_after_days=12),
    RequestSpec(RequestType.ACCESS, 95, "lapsed"),
    RequestSpec(RequestType.ERASURE, 12, "lapsed"),
    # Open: overdue, extended, due soon, waiting for staff, and new ones not yet verified.
    RequestSpec(RequestType.RECTIFICATION, 36, "waiting_for_staff", from_register=True),
    RequestSpec(RequestType.RECTIFICATION, 45, "waiting_for_staff", from_register=True,
                extend_by_days=40),
    RequestSpec(RequestType.OBJECTION, 26, "waiting_for_staff", from_register=True),
    RequestSpec(RequestType.RECTIFICATION, 8, "waiting_for_staff", from_register=True),
    RequestSpec(RequestType.ACCESS, 1, "awaiting"),
    RequestSpec(RequestType.ERASURE, 0, "awaiting"),
]


def load_requests(*, actor: Actor, created: Counter[str]) -> None:
    if AuditEntry.objects.filter(
        event_type=AuditEventType.REQUEST_SUBMITTED, actor_label=actor.label
    ).exists():
        return
    people = iter(
        Person.objects.filter(category=SubjectCategory.CUSTOMER_CONTACT)
        .exclude(email="")
        .order_by("email_key")
    )
    lapsing: list[int] = []
    for number, spec in enumerate(REQUESTS, start=1):
        email = next(people).email if spec.from_register else f"foresporsel-{number}@example.no"
        request = submit_request(
            actor=actor,
            request_type=spec.request_type,
            email=email,
            channel=ReceivedChannel.PORTAL,
            details="Demo." if spec.request_type == RequestType.RECTIFICATION else "",
            objection_scopes=[ObjectionScope.LEGITIMATE_INTEREST]
            if spec.request_type == RequestType.OBJECTION
            else [],
        )
        created["requests"] += 1
        if spec.outcome == "refused":
            refuse_request(actor=actor, request=request,
                           reason="Demo: the same request answered a week earlier.")
        elif spec.outcome in ("answered", "waiting_for_staff"):
            verify_by_staff(actor=actor, request=request, note="Demo: called back on a known "
                            "number.")
            fulfil(request_id=request.pk, actor=actor)
        if spec.extend_by_days:
            request.refresh_from_db()
            extend_deadline(
                actor=actor, request=request,
                until=request.due_on + datetime.timedelta(days=spec.extend_by_days),
                reason="Demo: many requests at once (Art. 12(3)).",
            )
        _move_back(request.pk, days=spec.received_days_ago,
                   answered_after=spec.answered_after_days if spec.outcome in (
                       "answered", "refused") else None)
        if spec.outcome == "lapsed":
            lapsing.append(request.pk)
    if lapsing:
        lapse_unverified(actor=actor)


def _move_back(pk: int, *, days: int, answered_after: int | None) -> None:
    """Shift a request's history ``days`` back; answered ``answered_after`` days after."""
    if not days and answered_after is None:
        return
    delta = datetime.timedelta(days=days)
    requests = DataSubjectRequest.objects.filter(pk=pk)
    requests.update(received_at=F("received_at") - delta, verified_at=F("verified_at") - delta)
    request = requests.get()
    changes: dict[str, object] = {"due_on": due_on(request.received_at)}
    if request.extended_until is not None:
        changes["extended_until"] = request.extended_until - delta
    if answered_after is not None:
        changes["completed_at"] = request.received_at + datetime.timedelta(days=answered_after)
    elif request.completed_at is not None:
        changes["completed_at"] = request.completed_at - delta
    requests.update(**changes)
    RequestEvent.objects.filter(request_id=pk).update(at=F("at") - delta)
    request.tokens.update(created_at=F("created_at") - delta, expires_at=F("expires_at") - delta)
    OutgoingLetter.objects.filter(request_id=pk).update(
        created_at=F("created_at") - delta, sent_at=F("sent_at") - delta
    )
    # Nothing in the future: answers "today" at the latest.
    requests.filter(completed_at__gt=timezone.now()).update(completed_at=timezone.now())
