"""Writing the audit trail. Every service that touches personal data calls :func:`record` inside
its own transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from personvern.core.actors import Actor

from . import chain, vocabulary
from .choices import AuditEventType
from .models import AuditEntry, AuditHead

_HEAD = AuditHead._meta.db_table
_IP = AuditEntry._meta.get_field("ip_address")


def lock_head(cursor: Any) -> tuple[int, str]:
    """Lock the head row until the transaction ends and read the end of the chain.

    The consent ledger's appends take this lock before their own (``consent.ledger``), so a
    transaction that both audits and appends never waits for the two in opposite orders."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(f"SELECT last_sequence, last_hash FROM {_HEAD} WHERE id = 1{lock}")  # noqa: S608
    row = cursor.fetchone()
    if row is None:  # a database emptied outside migrations (a test flush): start the chain
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": chain.GENESIS_HASH})
        cursor.execute(f"SELECT last_sequence, last_hash FROM {_HEAD} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]), str(row[1])


def record(
    *,
    actor: Actor,
    event: AuditEventType,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    subject_id: int | None = None,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry at the end of the chain. ``event`` names what happened and gives the
    entry its action; ``detail`` must fit the event's schema (``vocabulary``). ``fields`` are
    field names only; values never enter the log."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    values: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": actor.user.pk if actor.user is not None else None,
        "actor_label": actor.label,
        "event_type": event.value,
        "action": vocabulary.action_of(event).value,
        "object_type": object_type,
        "object_id": str(object_id),
        "subject_id": subject_id,
        # As the database gives them back, so the hash is recomputed from what is stored.
        "fields": json.loads(json.dumps(sorted(fields))),
        "ip_address": _IP.get_prep_value(actor.ip_address),
        "detail": json.loads(json.dumps(detail or {})),
    }
    vocabulary.validate(event, values["detail"])
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        last_sequence, last_hash = lock_head(cursor)
        sequence = last_sequence + 1
        digest = chain.entry_hash(sequence=sequence, prev_hash=last_hash, **values)
        entry = AuditEntry.objects.create(
            sequence=sequence, prev_hash=last_hash, hash=digest, **values
        )
        cursor.execute(
            f"UPDATE {_HEAD} SET last_sequence = %s, last_hash = %s WHERE id = 1",  # noqa: S608
            [sequence, digest],
        )
    return entry


def verify_audit_log(*, actor: Actor) -> chain.AuditVerifyResult:
    """Recompute the whole chain (``personvern audit verify`` and the nightly job) and record
    the outcome as an entry of its own, at the end of the chain it verified."""
    from .verification import verify

    result = verify()
    detail = {"ok": result.ok, "entries": result.count,
              "first_broken": result.first_broken_sequence, "problem": result.problem}  # fmt: skip
    record(actor=actor, event=AuditEventType.AUDIT_LOG_VERIFIED, object_type="audit.auditentry",
           detail=detail)  # fmt: skip
    return result
