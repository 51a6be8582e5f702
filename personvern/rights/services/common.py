"""Helpers the request services share: locking, permission and state checks, completion."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.register.models import Person

from ..choices import EventKind, ManualTaskStatus, RequestStatus, RightsErrorCode, TaskStep
from ..links import new_status_link
from ..models import DataSubjectRequest
from . import art19, outbox
from .events import log

# Crockford's base32 without look-alikes; 12 characters carry 60 random bits.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A reference nobody can guess or count through (not sequential)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return f"PV-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def lock(request_id: int) -> DataSubjectRequest:
    """The request, locked for the rest of the transaction (two workers never interleave)."""
    return DataSubjectRequest.objects.select_for_update().get(pk=request_id)


def require_perm(actor: Actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            message=_("You do not have permission to do this."),
            status=403,
        )


def require_open(request: DataSubjectRequest) -> None:
    if not request.is_open:
        raise DomainError(
            code=RightsErrorCode.INVALID_STATE,
            message=_("This request is already closed."),
            status=409,
        )


def require_text(value: str, *, field: str, code: RightsErrorCode, message: Promise) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(code=code, message=message, field=field)
    return value


# The letters written inside ``letters_last`` (their ids), waiting to be handed to the commit.
_HELD_LETTERS: ContextVar[list[int] | None] = ContextVar("held_letters", default=None)


@contextmanager
def letters_last() -> Iterator[None]:
    """Letters written in the block are sent after everything else the block leaves for the
    commit: a verified request's fulfilment job is queued first, so that the worker starts
    on it while the mail server is still answering (and a slow one delays no answer). The
    letters keep the order they were written in; a nested block joins the outer one."""
    if _HELD_LETTERS.get() is not None:
        yield
        return
    held: list[int] = []
    token = _HELD_LETTERS.set(held)
    try:
        yield
    finally:
        _HELD_LETTERS.reset(token)
        for pk in held:
            transaction.on_commit(partial(outbox.deliver, pk))


def letter(
    *, request: DataSubjectRequest, name: str, actor: Actor, context: dict[str, Any] | None = None
) -> None:
    """Write a letter to the person into the outbox, to be sent once this transaction
    commits, and note it on the timeline. Every letter carries a link to the request's status
    page (a new token each time: only its digest is stored, so an earlier one cannot be
    written again)."""
    status_link = new_status_link(request)
    written = outbox.write(request, name, {"status_link": status_link, **(context or {})})
    held = _HELD_LETTERS.get()
    if held is None:
        transaction.on_commit(partial(outbox.deliver, written.pk))
    else:
        held.append(written.pk)
    log(
        request=request,
        kind=EventKind.LETTER,
        actor=actor,
        detail={"letter": name, "language": request.language},
    )


def start(request: DataSubjectRequest, *, actor: Actor) -> None:
    if request.status == RequestStatus.VERIFIED:
        request.status = RequestStatus.IN_PROGRESS
        request.save(update_fields=["status"])
        log(request=request, kind=EventKind.STARTED, actor=actor)


def complete(
    request: DataSubjectRequest,
    *,
    actor: Actor,
    result: dict[str, Any],
    name: str | None,
    context: dict[str, Any] | None = None,
) -> None:
    """Close the request as done with its result, and send the reply ``name`` (None: the
    reply has already gone out). Refused while a manual task of the request's own part is
    open: the answer would claim more than was done. (A task of a restriction step, an
    interim restriction or a lift, runs on its own: ``steps``.)"""
    if request.manual_tasks.filter(status=ManualTaskStatus.OPEN, step=TaskStep.REQUEST).exists():
        raise DomainError(
            code=RightsErrorCode.TASKS_OPEN,
            status=409,
            message=_("A manual task of this request is still open."),
        )
    request.status = RequestStatus.DONE
    request.completed_at = timezone.now()
    request.result = {**request.result, **result}
    request.save(update_fields=["status", "completed_at", "result"])
    log(request=request, kind=EventKind.DONE, actor=actor)
    notices = art19.notify(request)
    if notices:
        log(
            request=request,
            kind=EventKind.RECIPIENTS_NOTIFIED,
            actor=actor,
            detail={"recipients": len(notices)},
        )
    if name:
        letter(request=request, name=name, actor=actor, context=context)


def log_viewed(*, actor: Actor, request: DataSubjectRequest, via: str) -> None:
    """Reading a request (it holds the person's address and words) is itself recorded."""
    record(
        actor=actor,
        event=AuditEventType.REQUEST_VIEWED,
        obj=request,
        subject_id=request.subject_id,
        detail={"via": via},
    )


def matched_person(request: DataSubjectRequest) -> Person:
    """The person the request is about; refused while it is matched with nobody."""
    if request.person is None:
        raise DomainError(
            code=RightsErrorCode.PERSON_REQUIRED,
            status=409,
            message=_("The request is not matched with a person."),
        )
    return request.person
