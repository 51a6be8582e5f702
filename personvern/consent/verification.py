"""``personvern ledger verify``: recompute the consent ledger's hash chain.

Every event's hash is recomputed from its stored fields and its link to the previous event is
checked; the head must point at the last event, so events cut off the end are found too. The
rows are read in keyset-paginated chunks of raw SQL (constant memory), with the timestamp
formatted by the database, and large ledgers are split into ranges verified by parallel
processes whose boundaries are then joined.

Whoever runs the database can rewrite the chain consistently, so the chain is also checked
against the signed heads kept outside it (``anchoring.py``): the hash at each head's size must
be the signed one (else the ledger was rewritten), the ledger must reach every head's size
(else it was cut short), and no event beyond a head may be dated well before that head was
signed (else it was added afterwards, backdated). The state table is recomputed from the events.
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from hashlib import sha256 as _sha256
from typing import Any

from django.db import connection, connections

from .anchoring import SignedHead
from .ledger import (
    GENESIS_HASH,
    canonical,
    canonical_evidence,
    chain_hash,
    chained_evidence,
    text_digest,
    utc_timestamp,
)
from .models import ConsentEvent, ConsentText, LedgerHead
from .state_check import StateKey, check_states

CHUNK = 20_000
PARALLEL_MIN = 200_000
NEIGHBOUR_CHUNK = 500
# An event is dated when its request is handled and appended a moment later; one beyond a
# signed head but dated more than this before the head was signed was added afterwards.
APPEND_GRACE = datetime.timedelta(minutes=10)
_NEVER = 1 << 63


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_broken_sequence: int | None = None
    problem: str = ""
    findings: tuple[dict[str, Any], ...] = ()
    heads_checked: int = 0


@dataclass(frozen=True)
class _Marks:
    """What the ranges collect for the signed heads: the hash at each head's size, and the
    first event beyond a head dated before the head (as timestamps in the chain's form)."""

    sizes: frozenset[int] = frozenset()
    floors: tuple[tuple[int, str], ...] = ()  # (head size, signed_at - grace), by size
    states: bool = False  # also collect the latest event per state key


@dataclass(frozen=True)
class _Range:
    """What one range of the chain looks like from outside, once verified inside."""

    start: int  # first sequence, inclusive
    end: int  # last sequence, inclusive
    first_prev_hash: str
    last_hash: str
    count: int
    broken: int | None = None
    problem: str = ""
    hashes_at: dict[int, str] = field(default_factory=dict)
    backdated: tuple[int, str] | None = None  # (sequence, occurred_at)
    latest: dict[StateKey, tuple[int, str]] = field(default_factory=dict)


def _select(condition: str) -> str:
    table = ConsentEvent._meta.db_table
    if connection.vendor == "postgresql":
        occurred = "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        evidence = "evidence::text"
    else:  # SQLite keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC
        occurred = (
            "replace(CASE WHEN length(occurred_at) = 19 THEN occurred_at || '.000000'"
            " ELSE occurred_at END, ' ', 'T') || 'Z'"
        )
        evidence = "evidence"
    return (
        f"SELECT sequence, person_id, visitor_id, purpose_id, channel, action, method, text_id,"  # noqa: S608
        f" {occurred}, {evidence}, actor_label, prev_hash, hash, personal_sha256, personal_salt"
        f" FROM {table} WHERE {condition}"
    )


def _rows(start: int, end: int) -> Iterator[tuple[Any, ...]]:
    if connection.vendor == "postgresql":
        yield from _copied_rows(start, end)
        return
    sql = _select("sequence > %s AND sequence <= %s ORDER BY sequence LIMIT %s")
    last = start - 1
    with connection.cursor() as cursor:
        while last < end:
            cursor.execute(sql, [last, end, CHUNK])
            chunk = cursor.fetchall()
            if not chunk:
                return
            yield from chunk
            last = chunk[-1][0]


_COPY_ESCAPES = re.compile(r"\\(.)")
_COPY_CHARS = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _copy_text(field: str) -> str | None:
    """A field of PostgreSQL's COPY text format: \\N is NULL, backslash escapes the rest."""
    if field == "\\N":
        return None
    if "\\" not in field:
        return field
    return _COPY_ESCAPES.sub(lambda m: _COPY_CHARS.get(m.group(1), m.group(1)), field)


def _copy_int(field: str) -> int | None:
    return None if field == "\\N" else int(field)


def _copied_rows(start: int, end: int) -> Iterator[tuple[Any, ...]]:
    """PostgreSQL streams the range with COPY, several times faster than fetching rows."""
    query = _select(f"sequence >= {int(start)} AND sequence <= {int(end)} ORDER BY sequence")
    sql = f"COPY ({query}) TO STDOUT"
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for data in copy:
            f = bytes(data).decode().rstrip("\n").split("\t")
            yield (
                int(f[0]), _copy_int(f[1]), _copy_text(f[2]), _copy_int(f[3]), _copy_text(f[4]),
                _copy_text(f[5]), _copy_text(f[6]), _copy_int(f[7]), f[8], _copy_text(f[9]),
                _copy_text(f[10]), f[11], f[12], f[13], f[14],
            )  # fmt: skip


def _evidence(raw: str | None, personal_sha256: str, personal_salt: str) -> str | None:
    """The evidence as chained (``ledger.chained_evidence``); None if it does not match."""
    if not personal_sha256:
        if not raw or raw == "{}":
            return "{}"
        return canonical_evidence(json.loads(raw))
    return chained_evidence(
        json.loads(raw) if raw else {},
        personal_sha256=personal_sha256,
        personal_salt=personal_salt,
    )


def _verify_range(start: int, end: int, texts: dict[int, str], marks: _Marks) -> _Range:
    first_prev = ""
    previous: str | None = None
    expected = start
    count = 0
    hashes_at: dict[int, str] = {}
    backdated: tuple[int, str] | None = None
    latest: dict[StateKey, tuple[int, str]] = {}
    states = marks.states
    sizes, floors = marks.sizes, marks.floors
    floor, next_floor = "", 0  # events after floors[i][0] must not be dated before floors[i][1]
    while next_floor < len(floors) and floors[next_floor][0] < start:
        floor = max(floor, floors[next_floor][1])
        next_floor += 1
    next_size = floors[next_floor][0] if next_floor < len(floors) else _NEVER

    def done(broken: int | None = None, problem: str = "") -> _Range:
        return _Range(start, end, first_prev, previous or "", count, broken, problem,
                      hashes_at, backdated, latest)  # fmt: skip

    for (sequence, person_id, visitor_id, purpose_id, channel, action, method, text_id,
         occurred_at, evidence, actor_label, prev_hash, stored, personal_sha256,
         personal_salt) in _rows(start, end):  # fmt: skip
        if sequence != expected:
            return done(expected, "missing event")
        if previous is None:
            first_prev = prev_hash
        elif prev_hash != previous:
            return done(sequence, "link to previous event broken")
        chained = _evidence(evidence, personal_sha256, personal_salt)
        if chained is None:
            return done(sequence, "event content changed")
        # canonical() called directly: chain_hash's extra keyword pass costs a few percent here
        computed = _sha256(canonical(
            sequence=sequence, person_id=person_id, visitor_id=visitor_id,
            purpose_id=purpose_id, channel=channel, action=action, method=method,
            text_id=text_id, text_sha256=texts.get(text_id) if text_id else None,
            occurred_at=occurred_at, evidence=chained, actor_label=actor_label,
            prev_hash=prev_hash, personal_sha256=personal_sha256,
        )).hexdigest()  # fmt: skip
        if computed != stored:
            return done(sequence, "event content changed")
        if sequence > next_size:
            while next_floor < len(floors) and floors[next_floor][0] < sequence:
                floor = max(floor, floors[next_floor][1])
                next_floor += 1
            next_size = floors[next_floor][0] if next_floor < len(floors) else _NEVER
        if occurred_at < floor and backdated is None:
            backdated = (sequence, occurred_at)
        if sequence in sizes:
            hashes_at[sequence] = stored
        if states:  # keyed as ConsentState's unique constraints are
            latest[(person_id, visitor_id if person_id is None else "", purpose_id,
                    channel if purpose_id is not None else "")] = (sequence, action)  # fmt: skip
        previous = stored
        expected += 1
        count += 1
    if expected <= end:
        return done(expected, "missing event")
    return done()


def _in_child(start: int, end: int, texts: dict[int, str], marks: _Marks) -> _Range:
    connections.close_all()  # never share the parent's connection
    return _verify_range(start, end, texts, marks)


def _ranges(total: int, workers: int) -> list[tuple[int, int]]:
    size = -(-total // workers)
    return [(lo, min(lo + size - 1, total)) for lo in range(1, total + 1, size)]


def _can_fork() -> bool:
    """Parallel workers need a database they can open themselves (not SQLite in memory)."""
    name = str(connection.settings_dict.get("NAME") or "")
    memory = connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name)
    return not memory and "fork" in multiprocessing.get_all_start_methods()


def verify(
    *,
    workers: int | None = None,
    parallel_min: int = PARALLEL_MIN,
    heads: Sequence[SignedHead] = (),
    states: bool = True,
) -> VerifyResult:
    """Recompute the whole chain; report the first event whose hash, link or place is wrong,
    then what the signed ``heads`` and the state table show.

    The texts are checked first: each one's stored SHA-256 must match its words, and the chain
    binds every event to that SHA-256."""
    texts: dict[int, str] = {}
    for text_id, text, sha256 in ConsentText.objects.values_list("pk", "text", "sha256"):
        if text_digest(text) != sha256:
            first = ConsentEvent.objects.filter(text_id=text_id).order_by("sequence").first()
            return VerifyResult(False, 0, first.sequence if first else None, "text changed")
        texts[text_id] = sha256
    valid = [h for h in heads if h.signature_ok]
    marks = _Marks(
        frozenset(h.tree_size for h in valid),
        tuple(sorted((h.tree_size, utc_timestamp(h.signed_at - APPEND_GRACE)) for h in valid)),
        states,
    )
    head = LedgerHead.objects.filter(pk=1).first()
    head_sequence, head_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    last_stored = ConsentEvent.objects.order_by("-sequence").values_list("sequence", flat=True)
    stored_total = last_stored.first() or 0
    total = max(head_sequence, stored_total)
    workers = workers or min(os.cpu_count() or 1, 4)
    if total >= parallel_min and workers > 1 and _can_fork():
        connections.close_all()
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            ranges = _ranges(total, workers)
            parts = list(pool.map(_in_child, *zip(*[(lo, hi, texts, marks) for lo, hi in ranges],
                                                   strict=True)))  # fmt: skip
    else:
        parts = [_verify_range(1, total, texts, marks)] if total else []
    chain = _join(parts, head_sequence, head_hash)
    findings = [_bad_head(h) for h in heads if not h.signature_ok]
    findings += _against_heads(parts, valid, stored_total)
    if states and chain.ok:  # the latest events are known only when every range was read
        latest: dict[StateKey, tuple[int, str]] = {}
        for part in parts:  # in chain order: a later range's event is the later one
            latest.update(part.latest)
        findings += check_states(latest)
    if chain.ok and findings:
        first = findings[0]
        return VerifyResult(False, chain.count, first["sequence"], first["kind"],
                            tuple(findings), len(heads))  # fmt: skip
    return VerifyResult(chain.ok, chain.count, chain.first_broken_sequence, chain.problem,
                        tuple(findings), len(heads))  # fmt: skip


def _bad_head(head: SignedHead) -> dict[str, Any]:
    message = f"{head.name}: the signature does not verify with the trusted key"
    return {"kind": "bad_head", "sequence": None, "message": message}


def _against_heads(
    parts: list[_Range], heads: Sequence[SignedHead], stored_total: int
) -> list[dict[str, Any]]:
    """Rewrite, truncation and forged append, each named with the event and the head."""
    findings: list[dict[str, Any]] = []
    hashes_at: dict[int, str] = {}
    for part in parts:
        hashes_at.update(part.hashes_at)
    matched: SignedHead | None = None
    for head in heads:  # by size
        label = f"the head signed {utc_timestamp(head.signed_at)} ({head.name})"
        if head.tree_size > stored_total:
            findings.append({"kind": "truncation", "sequence": stored_total + 1, "message": (
                f"truncation: events #{stored_total + 1} to #{head.tree_size} are missing; "
                f"{label} covers {head.tree_size} events, the ledger holds {stored_total}"
            )})  # fmt: skip
            break
        stored = hashes_at.get(head.tree_size) if head.tree_size else GENESIS_HASH
        if stored is None:
            continue  # the chain broke before this head; the chain's own problem says where
        if stored != head.chain_hash:
            low = matched.tree_size + 1 if matched else 1
            findings.append({"kind": "rewrite", "sequence": low, "message": (
                f"rewrite: event #{head.tree_size} is not the one {label} covers; the events "
                f"from one between #{low} and #{head.tree_size} on were rewritten"
                + (f" (the head at #{matched.tree_size} still matches)" if matched else "")
            )})  # fmt: skip
            break
        matched = head
    backdated = next((part.backdated for part in parts if part.backdated), None)
    if backdated is not None:
        sequence, occurred_at = backdated
        before = [h for h in heads if h.tree_size < sequence]
        head = max(before, key=lambda h: h.signed_at)
        findings.append({"kind": "forged_append", "sequence": sequence, "message": (
            f"forged append: event #{sequence} is dated {occurred_at}, before the head signed "
            f"{utc_timestamp(head.signed_at)} ({head.name}) that covers only "
            f"{head.tree_size} events: it was added afterwards"
        )})  # fmt: skip
    return findings


def verify_person(person_id: int) -> VerifyResult:
    """Verify one person's events without reading the whole ledger (a person's proof is
    shown in a web request): each event's hash is recomputed from its stored fields and the
    exact text, its link must be the stored hash of the event before it, and the event after it
    (or the head, for the last one) must link back to it. Events around the person's are read
    only for their hashes; the whole chain is ``verify``'s, run by ``personvern ledger verify``."""
    head = LedgerHead.objects.filter(pk=1).first()
    head_sequence, head_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    with connection.cursor() as cursor:
        # Events appended after the head was read belong to a later proof.
        cursor.execute(
            _select("person_id = %s AND sequence <= %s ORDER BY sequence"),
            [person_id, head_sequence],
        )
        rows = cursor.fetchall()
    links = {row[0]: (row[11], row[12]) for row in rows}  # sequence -> (prev_hash, hash)
    around = {s - 1 for s in links if s > 1} | {s + 1 for s in links if s < head_sequence}
    wanted = sorted(around - links.keys())
    for start in range(0, len(wanted), NEIGHBOUR_CHUNK):
        neighbours = ConsentEvent.objects.filter(
            sequence__in=wanted[start : start + NEIGHBOUR_CHUNK]
        ).values_list("sequence", "prev_hash", "hash")
        links.update((sequence, (prev, stored)) for sequence, prev, stored in neighbours)
    texts: dict[int, str] = {}
    text_ids = {row[7] for row in rows if row[7]}
    for text_id, text, sha256 in ConsentText.objects.filter(pk__in=text_ids).values_list(
        "pk", "text", "sha256"
    ):
        if text_digest(text) != sha256:
            first = next(row[0] for row in rows if row[7] == text_id)
            return VerifyResult(False, 0, first, "text changed")
        texts[text_id] = sha256
    count = 0
    for (sequence, pid, visitor_id, purpose_id, channel, action, method, text_id, occurred_at,
         evidence, actor_label, prev_hash, stored, personal_sha256,
         personal_salt) in rows:  # fmt: skip
        if sequence > 1 and sequence - 1 not in links:
            return VerifyResult(False, count, sequence - 1, "missing event")
        if prev_hash != (GENESIS_HASH if sequence == 1 else links[sequence - 1][1]):
            return VerifyResult(False, count, sequence, "link to previous event broken")
        chained = _evidence(evidence, personal_sha256, personal_salt)
        if chained is None:
            return VerifyResult(False, count, sequence, "event content changed")
        computed = chain_hash(
            sequence=sequence, person_id=pid, visitor_id=visitor_id, purpose_id=purpose_id,
            channel=channel, action=action, method=method, text_id=text_id,
            text_sha256=texts.get(text_id) if text_id else None, occurred_at=occurred_at,
            evidence=chained, actor_label=actor_label, prev_hash=prev_hash,
            personal_sha256=personal_sha256,
        )  # fmt: skip
        if computed != stored:
            return VerifyResult(False, count, sequence, "event content changed")
        if sequence == head_sequence:
            if head_hash != stored:
                return VerifyResult(
                    False, count, sequence + 1, "events missing at the end of the chain"
                )
        elif sequence + 1 not in links:
            return VerifyResult(False, count, sequence + 1, "missing event")
        elif links[sequence + 1][0] != stored:
            return VerifyResult(False, count, sequence + 1, "link to previous event broken")
        count += 1
    return VerifyResult(True, count)


def _join(parts: list[_Range], head_sequence: int, head_hash: str) -> VerifyResult:
    previous = GENESIS_HASH
    count = 0
    for part in parts:
        if part.count and part.first_prev_hash != previous:
            return VerifyResult(False, count, part.start, "link to previous event broken")
        if part.broken is not None:
            return VerifyResult(False, count + part.count, part.broken, part.problem)
        count += part.count
        previous = part.last_hash or previous
    if head_sequence != count or head_hash != previous:
        return VerifyResult(False, count, count + 1, "events missing at the end of the chain")
    return VerifyResult(True, count)
