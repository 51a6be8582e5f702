"""``personvern audit verify``: recompute the audit log's hash chain, entry by entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import chain
from .models import AuditEntry, AuditHead


def _rows() -> Iterator[tuple[Any, ...]]:
    """Every entry in chain order, in keyset-paginated chunks (constant memory)."""
    last = 0
    while True:
        chunk = list(
            AuditEntry.objects.filter(sequence__gt=last)
            .order_by("sequence")
            .values_list(*chain.COLUMNS, "hash")[: chain.CHUNK]
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][0]


def verify(marks: frozenset[int] = frozenset()) -> chain.AuditVerifyResult:
    """The first entry whose hash, link or place is wrong; the head must point at the last
    entry, so entries cut off the end are found too. An entry without a place in the chain
    (inserted around the code that chains them) is reported as well."""
    head = AuditHead.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    result = chain.verify_rows(_rows(), head or (0, chain.GENESIS_HASH), marks)
    if result.ok:
        unchained = AuditEntry.objects.filter(sequence__isnull=True).order_by("pk").first()
        if unchained is not None:
            return chain.AuditVerifyResult(
                False, result.count, result.last_hash, None,
                f"entry id {unchained.pk} is outside the chain", result.hashes_at,
            )  # fmt: skip
    return result
