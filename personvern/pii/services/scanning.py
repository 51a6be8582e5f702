"""The scan of what is already stored (``personvern pii scan``): one table at a time (the
register's, then the external sources' text columns), in batches of records in primary-key
order, each batch in its own transaction with the table's progress, so a stopped scan resumes
where it stopped. The report counts findings per kind, never shows a value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor

from ..choices import FindingStatus
from ..engine import scan
from ..models import Finding, FindingSource, ScanProgress
from ..registry import target_for
from ..sources import ExternalTable
from .screening import Screening, record_findings, text_of

DEFAULT_BATCH = 200


@dataclass
class TableReport:
    target: str
    scanned: int = 0  # records scanned in this run
    resumed_after: Any = 0  # the primary key the run started after (0/None: from the start)
    found: Counter[str] = field(default_factory=Counter)  # findings recorded in this run
    # What the table holds now: findings still open or accepted, per kind.
    standing: dict[str, int] = field(default_factory=dict)


def standing_counts(target: str) -> dict[str, int]:
    rows = (
        Finding.objects.filter(
            target=target, status__in=[FindingStatus.OPEN, FindingStatus.ACCEPTED]
        )
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    return {row["kind"]: row["n"] for row in rows}


def scan_table(
    *,
    actor: Actor,
    target: str,
    batch_size: int = DEFAULT_BATCH,
    restart: bool = False,
    progress: Callable[[int, int], None] | None = None,
    max_batches: int | None = None,
) -> TableReport:
    """Scan ``target`` from where its last unfinished run stopped (or from the start).
    ``progress(done, total)`` is called after each batch; ``max_batches`` stops early (the
    next run resumes)."""
    registered = target_for(target)
    state, _created = ScanProgress.objects.get_or_create(target=target)
    if restart or state.finished_at is not None:
        state.last_id, state.scanned, state.finished_at = 0, 0, None
        state.started_at = timezone.now()
        state.save()
    report = TableReport(target=target, resumed_after=state.last_id)
    records = registered.records().order_by("pk")
    total = records.filter(pk__gt=state.last_id).count()
    batches = 0
    while max_batches is None or batches < max_batches:
        batch = list(records.filter(pk__gt=state.last_id)[:batch_size])
        if not batch:
            state.finished_at = timezone.now()
            state.save(update_fields=["finished_at"])
            break
        with transaction.atomic():
            for obj in batch:
                screening = Screening(
                    target=target,
                    matches={name: scan(text_of(target, obj, name)) for name in registered.fields},
                )
                created = record_findings(
                    actor=actor, obj=obj, screening=screening, source=FindingSource.SCAN,
                    audit=False,
                )  # fmt: skip
                report.found.update(f.kind for f in created)
            state.last_id = int(batch[-1].pk)
            state.scanned += len(batch)
            state.save(update_fields=["last_id", "scanned"])
        report.scanned += len(batch)
        batches += 1
        if progress is not None:
            progress(report.scanned, total)
    _finish(actor, report)
    return report


def _finish(actor: Actor, report: TableReport) -> None:
    report.standing = standing_counts(report.target)
    record(
        actor=actor,
        event=AuditEventType.PII_SCAN_RUN,
        object_type=report.target,
        detail={
            "target": report.target,
            "scanned": report.scanned,
            "found": sum(report.found.values()),
            "kinds": dict(report.found),
        },
    )


def _record_row(label: str, key: Any, texts: dict[str, str]) -> list[Finding]:
    """Replace the open findings of one external row with what was found now (a column now
    empty or NULL loses its open findings); accepted spans stay accepted."""
    object_id = str(key)
    place = Finding.objects.filter(target=label, object_id=object_id)
    place.filter(status=FindingStatus.OPEN).delete()
    accepted = set(
        place.filter(status=FindingStatus.ACCEPTED).values_list("field", "start", "end", "kind")
    )
    created = [
        Finding(
            target=label,
            object_id=object_id,
            field=column,
            start=m.start,
            end=m.end,
            kind=m.kind,
            confidence=m.confidence,
            rule=m.rule,
            source=FindingSource.SCAN,
        )
        for column, text in texts.items()
        for m in scan(text)
        if (column, m.start, m.end, m.kind) not in accepted
    ]
    return Finding.objects.bulk_create(created)


def _drop_vanished(label: str, after: Any, upto: Any, seen: set[Any]) -> None:
    """Close the open findings of rows the read skipped over (keys above ``after``, up to
    ``upto`` or beyond when None, not in ``seen``): they were deleted in the source. Only for
    integer keys, whose order Python and the database agree on (text keys sort by the
    database's collation)."""
    if not all(k is None or isinstance(k, int) for k in (after, upto)):
        return
    vanished = []
    for pk, object_id in Finding.objects.filter(
        target=label, status=FindingStatus.OPEN
    ).values_list("pk", "object_id"):
        try:
            key = int(object_id)
        except ValueError:
            continue
        if (after is None or key > after) and (upto is None or key <= upto) and key not in seen:
            vanished.append(pk)
    Finding.objects.filter(pk__in=vanished).delete()


def scan_external_table(
    *,
    actor: Actor,
    table: ExternalTable,
    batch_size: int = DEFAULT_BATCH,
    restart: bool = False,
    progress: Callable[[int, int], None] | None = None,
    max_batches: int | None = None,
) -> TableReport:
    """Scan the text columns of an external table, as :func:`scan_table` does the register's:
    resumable after the last primary key read (kept as JSON: a source's keys need not be
    numbers). A finding names the dataset and table (``target``), the row's primary key and
    the column; the source is only read. :class:`~personvern.pii.sources.SourceUnreadable`
    from the source leaves the progress of the batches done."""
    state, _created = ScanProgress.objects.get_or_create(target=table.label)
    if restart or state.finished_at is not None:
        state.last_key, state.scanned, state.finished_at = None, 0, None
        state.started_at = timezone.now()
        state.save()
    report = TableReport(target=table.label, resumed_after=state.last_key)
    batches = 0
    while max_batches is None or batches < max_batches:
        rows = table.read(state.last_key, batch_size)
        if not rows:
            with transaction.atomic():
                _drop_vanished(table.label, state.last_key, None, set())
                state.finished_at = timezone.now()
                state.save(update_fields=["finished_at"])
            break
        with transaction.atomic():
            _drop_vanished(table.label, state.last_key, rows[-1][0], {key for key, _t in rows})
            for key, texts in rows:
                report.found.update(f.kind for f in _record_row(table.label, key, texts))
            state.last_key = rows[-1][0]
            state.scanned += len(rows)
            state.save(update_fields=["last_key", "scanned"])
        report.scanned += len(rows)
        batches += 1
        if progress is not None:
            progress(report.scanned, 0)
    _finish(actor, report)
    return report
