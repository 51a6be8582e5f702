"""The audit log's hash chain: each entry's hash covers its canonical form and the previous
entry's hash, so an entry edited or deleted in the database is found by ``personvern audit
verify``; the signed heads of the consent ledger also name the audit log's size and last hash,
so a cut-off tail or a rewritten chain is found too.

Named event types came after the chain: an entry written since carries ``event_type`` in its
canonical form; an entry written before keeps the form and hash it was written with (signed
heads anchor those hashes, so none is recomputed) and its type must be the one ``legacy.derive``
reads from the content that hash covers. So a changed type is found on every entry, old or new,
and an entry in the old form after one in the new form is reported too.

Writers take one locked head row (as the consent ledger's appends do): on PostgreSQL the row
lock serialises the entries of concurrent transactions until each commits, so the chain never
forks; on SQLite the IMMEDIATE transaction already serialises writers.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import legacy

GENESIS_HASH = "0" * 64
CHUNK = 5000


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(
    *,
    sequence: int,
    at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    subject_id: int | None,
    fields: Any,
    ip_address: str | None,
    detail: Any,
    prev_hash: str,
    event_type: str | None = None,
) -> bytes:
    """Without ``event_type``: the form of the entries written before named types."""
    typed = {} if event_type is None else {"event_type": event_type}
    return json.dumps(
        {
            **typed,
            "sequence": sequence,
            "at": _utc(at),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "subject_id": subject_id,
            "fields": fields,
            "ip_address": ip_address,
            "detail": detail,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def entry_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


COLUMNS = (
    "sequence", "at", "actor_id", "actor_label", "action", "object_type", "object_id",
    "subject_id", "fields", "ip_address", "detail", "prev_hash", "event_type",
)  # fmt: skip


def _check(values: dict[str, Any], stored: str, *, typed_seen: bool) -> tuple[str, bool]:
    """("" or the problem, whether the entry is in the typed form). Until the first typed
    entry the older form is tried first, so each entry costs one hash."""
    if not typed_seen and entry_hash(**{**values, "event_type": None}) == stored:
        derived = legacy.derive(action=values["action"], object_type=values["object_type"],
                                fields=values["fields"], detail=values["detail"])  # fmt: skip
        return ("" if values["event_type"] == derived else "event type changed"), False
    if entry_hash(**values) == stored:
        return "", True
    return "entry changed", False


@dataclass(frozen=True)
class AuditVerifyResult:
    ok: bool
    count: int
    last_hash: str
    first_broken_sequence: int | None = None
    problem: str = ""
    hashes_at: dict[int, str] | None = None
    untyped: int = 0


def verify_rows(
    rows: Iterator[tuple[Any, ...]], head: tuple[int, str], marks: frozenset[int] = frozenset()
) -> AuditVerifyResult:
    """``rows`` are (*COLUMNS, hash) in sequence order; ``head`` the head row's (sequence,
    hash); the hashes at the sequences in ``marks`` are returned for the signed heads."""
    previous, expected, typed_seen, untyped = GENESIS_HASH, 1, False, 0
    found: dict[int, str] = {}
    for row in rows:
        values = dict(zip(COLUMNS, row[:-1], strict=True))
        stored = row[-1]
        sequence = values["sequence"]
        if sequence != expected:
            return AuditVerifyResult(False, expected - 1, previous, expected, "missing entry",
                                     found)  # fmt: skip
        if values["prev_hash"] != previous:
            return AuditVerifyResult(False, expected - 1, previous, sequence,
                                     "link to previous entry broken", found)  # fmt: skip
        problem, typed = _check(values, stored, typed_seen=typed_seen)
        if problem:
            return AuditVerifyResult(False, expected - 1, previous, sequence, problem,
                                     found)  # fmt: skip
        typed_seen, untyped = typed_seen or typed, untyped + (not typed)
        if sequence in marks:
            found[sequence] = stored
        previous = stored
        expected += 1
    count = expected - 1
    if head != (count, previous):
        return AuditVerifyResult(False, count, previous, count + 1,
                                 "entries missing at the end of the log", found)  # fmt: skip
    return AuditVerifyResult(True, count, previous, hashes_at=found, untyped=untyped)
