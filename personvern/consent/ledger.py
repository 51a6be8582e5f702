"""The hash chain of the consent ledger: canonical form, append under a lock, verification.

Each event's hash is SHA-256 over its canonical JSON form, which includes the previous event's
hash and the SHA-256 of the exact text shown; changing any stored field, the text, or the order
breaks the chain from that event on.

The personal parts of the evidence (the masked IP address and the browser) are chained through
a salted digest, ``personal_sha256`` = SHA-256(salt + their canonical JSON), instead of inline:
when the consent evidence's retention period is over they and the salt are removed
(:func:`remove_personal_evidence`) and the chain still verifies, since the digest stays. The
random salt keeps the digest from being matched against guessed addresses once the values are
gone. Events appended before migration 0008 chain their whole evidence inline (no digest) and
are verified as they always were.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_string
from typing import Any

from django.db import connection, transaction

from personvern.audit.models import AuditHead

from .models import ConsentEvent, ConsentState, ConsentText, LedgerHead

GENESIS_HASH = "0" * 64
_HEAD = LedgerHead._meta.db_table
_STATE = ConsentState._meta.db_table
_EVENT = ConsentEvent._meta.db_table
_AUDIT_HEAD = AuditHead._meta.db_table
_INSERT_EVENT = (
    f"INSERT INTO {_EVENT} (sequence, person_id, visitor_id, purpose_id,"
    " channel, action, method, text_id, occurred_at, evidence, personal_sha256, personal_salt,"
    " actor_label, prev_hash, hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
# The evidence that names or singles out the person; the rest (form, campaign, notice in
# effect) is about the organisation's own form and stays with the event.
PERSONAL_EVIDENCE = ("masked_ip", "user_agent")


def utc_timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_evidence(evidence: dict[str, Any]) -> str:
    if not evidence:
        return "{}"
    return json.dumps(evidence, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def split_evidence(evidence: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the personal parts, the rest) of an event's evidence."""
    personal = {k: v for k, v in evidence.items() if k in PERSONAL_EVIDENCE}
    rest = {k: v for k, v in evidence.items() if k not in PERSONAL_EVIDENCE}
    return personal, rest


def personal_digest(personal: dict[str, Any], salt: str) -> str:
    """The salted digest the chain holds in place of the personal evidence."""
    return hashlib.sha256((salt + canonical_evidence(personal)).encode()).hexdigest()


def seal_personal(evidence: dict[str, Any]) -> tuple[str, str]:
    """(personal_sha256, personal_salt) for new evidence. Without personal parts there is
    nothing to remove later: no salt, and the digest of nothing."""
    personal, _rest = split_evidence(evidence)
    salt = secrets.token_hex(16) if personal else ""
    return personal_digest(personal, salt), salt


def chained_evidence(
    evidence: dict[str, Any], *, personal_sha256: str, personal_salt: str
) -> str | None:
    """The evidence as the chain holds it (canonical JSON), or None when the stored evidence
    does not match its digest. Events without a digest (before migration 0008) chain all of
    it; the others chain the rest and the digest, whose personal parts may have been removed
    (then neither they nor the salt are left)."""
    if not personal_sha256:
        return canonical_evidence(evidence)
    personal, rest = split_evidence(evidence)
    if (personal_salt or personal) and personal_digest(personal, personal_salt) != personal_sha256:
        return None
    return canonical_evidence(rest)


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def canonical(
    *,
    sequence: int,
    person_id: int | None,
    visitor_id: str,
    purpose_id: int | None,
    channel: str,
    action: str,
    method: str,
    text_id: int | None,
    text_sha256: str | None,
    occurred_at: str,
    evidence: str,
    actor_label: str,
    prev_hash: str,
    personal_sha256: str = "",
) -> bytes:
    """The event as compact JSON with sorted keys (what ``json.dumps(..., sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` gives), written out directly because
    verification computes it a million times. ``occurred_at`` is :func:`utc_timestamp`'s
    form and ``evidence`` is :func:`chained_evidence`'s. ``personal_sha256`` is left out for
    events appended before it existed, so their hashes stay what they were."""
    s = _json_string
    personal = f',"personal_sha256":{s(personal_sha256)}' if personal_sha256 else ""
    return (
        f'{{"action":{s(action)},"actor_label":{s(actor_label)},"channel":{s(channel)},'
        f'"evidence":{evidence},"method":{s(method)},"occurred_at":{s(occurred_at)},'
        f'"person_id":{_number(person_id)}{personal},"prev_hash":{s(prev_hash)},'
        f'"purpose_id":{_number(purpose_id)},"sequence":{_number(sequence)},'
        f'"text_id":{_number(text_id)},"text_sha256":{s(text_sha256 or "")},'
        f'"visitor_id":{s(visitor_id)}}}'
    ).encode()


def chain_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def event_hash(
    *,
    occurred_at: datetime.datetime,
    evidence: dict[str, Any],
    personal_sha256: str = "",
    **fields: Any,
) -> str:
    """The hash of an event (Python values): with ``personal_sha256`` the personal evidence
    is chained through it, without (an event from before it existed) all evidence inline."""
    rest = split_evidence(evidence)[1] if personal_sha256 else evidence
    return chain_hash(
        occurred_at=utc_timestamp(occurred_at), evidence=canonical_evidence(rest),
        personal_sha256=personal_sha256, **fields,
    )  # fmt: skip


# On PostgreSQL the audit log's head row is locked first, in the same statement: a
# transaction that audits and appends takes the two locks in one order (audit, then ledger)
# whichever it does first, so two of them never wait for each other.
_LOCK_BOTH = (
    f"SELECT l.last_sequence, l.last_hash FROM {_HEAD} l,"
    f" (SELECT id FROM {_AUDIT_HEAD} WHERE id = 1 FOR UPDATE) a WHERE l.id = 1 FOR UPDATE OF l"
)


def _lock_head(cursor: Any) -> tuple[int, str]:
    """Lock the head row (PostgreSQL row lock; SQLite writers are serialised by the
    IMMEDIATE transaction) and read the end of the chain."""
    if connection.features.has_select_for_update:
        sql = _LOCK_BOTH
    else:
        sql = f"SELECT last_sequence, last_hash FROM {_HEAD} WHERE id = 1"
    cursor.execute(sql)
    row = cursor.fetchone()
    if row is None:  # a database emptied outside migrations (a test flush): start the chains
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        LedgerHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        cursor.execute(sql)
        row = cursor.fetchone()
    return int(row[0]), str(row[1])


@dataclass(frozen=True)
class Entry:
    """One event to append; the ledger adds its place, the link and the hash."""

    person_id: int | None
    visitor_id: str
    purpose_id: int | None
    channel: str
    action: str
    method: str
    text: ConsentText | None
    occurred_at: datetime.datetime
    evidence: dict[str, Any]
    actor_label: str


def append(entries: Sequence[Entry]) -> list[ConsentEvent]:
    """Append events at the end of the chain, in order, and set the current state of each
    (subject, purpose, channel). Must run inside the caller's transaction: the head row stays
    locked until it commits, so concurrent appends queue up behind it.

    This is the ledger's hot path, so it speaks SQL directly: a batch of any size costs one
    lock, one multi-row insert, one read of the new ids, the state upserts and one head
    update (updating the head once per batch also keeps PostgreSQL from piling up row
    versions of it inside a long transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.append must run inside a transaction")
    if not entries:
        return []
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        last_sequence, previous = _lock_head(cursor)
        events, rows = [], []
        for offset, entry in enumerate(entries, start=1):
            sequence = last_sequence + offset
            text_id = entry.text.pk if entry.text else None
            personal_sha256, personal_salt = seal_personal(entry.evidence)
            digest = event_hash(
                sequence=sequence, person_id=entry.person_id, visitor_id=entry.visitor_id,
                purpose_id=entry.purpose_id, channel=entry.channel, action=entry.action,
                method=entry.method, text_id=text_id,
                text_sha256=entry.text.sha256 if entry.text else None,
                occurred_at=entry.occurred_at, evidence=entry.evidence,
                personal_sha256=personal_sha256, actor_label=entry.actor_label,
                prev_hash=previous,
            )  # fmt: skip
            rows.append([
                sequence, entry.person_id, entry.visitor_id, entry.purpose_id, entry.channel,
                entry.action, entry.method, text_id, adapt(entry.occurred_at),
                json.dumps(entry.evidence), personal_sha256, personal_salt, entry.actor_label,
                previous, digest,
            ])  # fmt: skip
            events.append(ConsentEvent(
                sequence=sequence, person_id=entry.person_id, visitor_id=entry.visitor_id,
                purpose_id=entry.purpose_id, channel=entry.channel, action=entry.action,
                method=entry.method, text=entry.text, occurred_at=entry.occurred_at,
                evidence=entry.evidence, personal_sha256=personal_sha256,
                personal_salt=personal_salt, actor_label=entry.actor_label,
                prev_hash=previous, hash=digest,
            ))  # fmt: skip
            previous = digest
        ids = _insert_events(cursor, rows)
        for event in events:
            event.pk = ids[event.sequence]
            event._state.adding = False
            event._state.db = connection.alias
        _upsert_states(cursor, events)
        cursor.execute(
            f"UPDATE {_HEAD} SET last_sequence = %s, last_hash = %s WHERE id = 1",
            [last_sequence + len(entries), previous],
        )
    return events


_STATE_TARGETS = {
    "person_purpose": "(person_id, purpose_id, channel)"
    " WHERE person_id IS NOT NULL AND purpose_id IS NOT NULL",
    "person": "(person_id) WHERE person_id IS NOT NULL AND purpose_id IS NULL",
    "visitor_purpose": "(visitor_id, purpose_id, channel)"
    " WHERE NOT (visitor_id = '') AND purpose_id IS NOT NULL",
}


def _insert_events(cursor: Any, rows: list[list[Any]]) -> dict[int, int]:
    """Insert the events; sequence -> id. One event (the common case) takes one statement."""
    if len(rows) == 1:
        cursor.execute(_INSERT_EVENT + " RETURNING id", rows[0])
        return {rows[0][0]: cursor.fetchone()[0]}
    cursor.executemany(_INSERT_EVENT, rows)
    cursor.execute(
        f"SELECT sequence, id FROM {_EVENT} WHERE sequence >= %s AND sequence <= %s",
        [rows[0][0], rows[-1][0]],
    )
    return dict(cursor.fetchall())


def _state_target(event: ConsentEvent) -> str:
    """The partial unique constraint of ``ConsentState`` that this event's state falls under."""
    if event.person_id is not None:
        return "person_purpose" if event.purpose_id is not None else "person"
    return "visitor_purpose"


def _upsert_states(cursor: Any, events: Sequence[ConsentEvent]) -> None:
    """Set the current state of each event's (subject, purpose, channel), later events last."""
    adapt = connection.ops.adapt_datetimefield_value
    grouped: dict[str, list[list[Any]]] = {}
    for event in events:
        grouped.setdefault(_state_target(event), []).append([
            event.person_id, event.visitor_id, event.purpose_id, event.channel, event.action,
            event.pk, adapt(event.occurred_at),
        ])  # fmt: skip
    for target, rows in grouped.items():
        sql = (
            f"INSERT INTO {_STATE} (person_id, visitor_id, purpose_id, channel, action, event_id,"
            f" changed_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            f" ON CONFLICT {_STATE_TARGETS[target]} DO UPDATE SET action = excluded.action,"
            " event_id = excluded.event_id, changed_at = excluded.changed_at"
        )
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def remove_personal_evidence(ids: Sequence[int]) -> int:
    """Remove the personal parts of these events' evidence and their salts (the retention
    rule for consent evidence, applied by the sweep, which audits it). The digest stays in
    the chain, so ``personvern ledger verify`` still passes. The only change the ledger
    allows: on PostgreSQL its trigger refuses any other update. Returns the events changed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("remove_personal_evidence must run inside a transaction")
    rows = ConsentEvent.objects.filter(pk__in=ids).exclude(personal_salt="")
    changed = [
        (json.dumps(split_evidence(evidence)[1]), pk)
        for pk, evidence in rows.values_list("pk", "evidence")
    ]
    if changed:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {_EVENT} SET evidence = %s, personal_salt = '' WHERE id = %s",
                changed,
            )
    return len(changed)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
