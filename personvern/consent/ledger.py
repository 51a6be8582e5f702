"""The hash chain of the consent ledger: canonical form, append under a lock, verification.

Each event's hash is SHA-256 over its canonical JSON form, which includes the previous event's
hash and the SHA-256 of the exact text shown; changing any stored field, the text, or the order
breaks the chain from that event on.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from .models import ConsentEvent, ConsentText, LedgerHead

GENESIS_HASH = "0" * 64
VERIFY_CHUNK = 20_000


def _timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
    occurred_at: datetime.datetime,
    evidence: dict[str, Any],
    actor_label: str,
    prev_hash: str,
) -> bytes:
    document = {
        "sequence": sequence,
        "person_id": person_id,
        "visitor_id": visitor_id,
        "purpose_id": purpose_id,
        "channel": channel,
        "action": action,
        "method": method,
        "text_id": text_id,
        "text_sha256": text_sha256 or "",
        "occurred_at": _timestamp(occurred_at),
        "evidence": evidence,
        "actor_label": actor_label,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def append(
    *,
    person_id: int | None,
    visitor_id: str,
    purpose_id: int | None,
    channel: str,
    action: str,
    method: str,
    text: ConsentText | None,
    occurred_at: datetime.datetime,
    evidence: dict[str, Any],
    actor_label: str,
) -> ConsentEvent:
    """Append one event at the end of the chain. Must run inside the caller's transaction:
    the head row stays locked until it commits, so concurrent appends queue up behind it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.append must run inside a transaction")
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a database emptied outside migrations (a test flush): start the chain
        LedgerHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        head = LedgerHead.objects.select_for_update().get(pk=1)
    sequence = head.last_sequence + 1
    fields: dict[str, Any] = {
        "sequence": sequence,
        "person_id": person_id,
        "visitor_id": visitor_id,
        "purpose_id": purpose_id,
        "channel": channel,
        "action": action,
        "method": method,
        "text_id": text.pk if text else None,
        "text_sha256": text.sha256 if text else None,
        "occurred_at": occurred_at,
        "evidence": evidence,
        "actor_label": actor_label,
        "prev_hash": head.last_hash,
    }
    digest = chain_hash(**fields)
    event = ConsentEvent.objects.create(
        sequence=sequence,
        person_id=person_id,
        visitor_id=visitor_id,
        purpose_id=purpose_id,
        channel=channel,
        action=action,
        method=method,
        text=text,
        occurred_at=occurred_at,
        evidence=evidence,
        actor_label=actor_label,
        prev_hash=head.last_hash,
        hash=digest,
    )
    LedgerHead.objects.filter(pk=1).update(last_sequence=sequence, last_hash=digest)
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_broken_sequence: int | None = None
    problem: str = ""


_COLUMNS = (
    "sequence", "person_id", "visitor_id", "purpose_id", "channel", "action", "method",
    "text_id", "text__sha256", "occurred_at", "evidence", "actor_label", "prev_hash", "hash",
)  # fmt: skip


def _rows() -> Iterator[tuple[Any, ...]]:
    """All events in chain order, streamed in keyset-paginated chunks (constant memory)."""
    last = 0
    while True:
        chunk = list(
            ConsentEvent.objects.filter(sequence__gt=last)
            .order_by("sequence")
            .values_list(*_COLUMNS)[:VERIFY_CHUNK]
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][0]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def verify() -> VerifyResult:
    """Recompute the whole chain; report the first event whose hash, link or place is wrong.

    The texts are checked first: each one's stored SHA-256 must match its words, and the chain
    binds every event to that SHA-256."""
    for text_id, text, sha256 in ConsentText.objects.values_list("pk", "text", "sha256"):
        if text_digest(text) != sha256:
            first = ConsentEvent.objects.filter(text_id=text_id).order_by("sequence").first()
            return VerifyResult(False, 0, first.sequence if first else None, "text changed")
    previous = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for row in _rows():
        (sequence, person_id, visitor_id, purpose_id, channel, action, method, text_id,
         text_sha256, occurred_at, evidence, actor_label, prev_hash, stored) = row  # fmt: skip
        if sequence != expected_sequence:
            return VerifyResult(False, count, expected_sequence, "missing event")
        if prev_hash != previous:
            return VerifyResult(False, count, sequence, "link to previous event broken")
        computed = chain_hash(
            sequence=sequence, person_id=person_id, visitor_id=visitor_id,
            purpose_id=purpose_id, channel=channel, action=action, method=method,
            text_id=text_id, text_sha256=text_sha256, occurred_at=occurred_at,
            evidence=evidence, actor_label=actor_label, prev_hash=prev_hash,
        )  # fmt: skip
        if computed != stored:
            return VerifyResult(False, count, sequence, "event content changed")
        previous = stored
        expected_sequence += 1
        count += 1
    head = LedgerHead.objects.filter(pk=1).first()
    head_sequence, head_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    if head_sequence != count or head_hash != previous:
        return VerifyResult(False, count, count + 1, "events missing at the end of the chain")
    return VerifyResult(True, count)
