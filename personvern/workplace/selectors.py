"""The figures behind the home page's charts, counted in the database per calendar month.

Each function takes the months to show (``months(today, n)``: the first day of each, oldest
first) and returns plain numbers in that order; ``charts.py`` draws them and ``home.py`` picks
those the signed-in role may see. Months are local time (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from personvern.consent.choices import ConsentAction, ConsentMethod
from personvern.consent.models import ConsentEvent
from personvern.core.dates import add_months
from personvern.retention.choices import RetentionAction
from personvern.retention.models import SweepRun
from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest

Month = datetime.date


def months(today: datetime.date, count: int = 12) -> list[Month]:
    """The first days of the ``count`` calendar months ending with ``today``'s, oldest first."""
    first = today.replace(day=1)
    return [add_months(first, -n) for n in range(count - 1, -1, -1)]


def _start(window: list[Month]) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(window[0], datetime.time.min))


def _month_of(value: datetime.datetime | datetime.date) -> Month:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _per_month(
    rows: Iterable[dict[str, object]], window: list[Month], key: str
) -> dict[str, list[float | None]]:
    """``rows`` of (month, ``key``, n) as one list of counts per value of ``key``."""
    index = {month: i for i, month in enumerate(window)}
    out: dict[str, list[float | None]] = {}
    for row in rows:
        month = cast(datetime.date, row["month"])
        i = index.get(_month_of(month))
        if i is None:
            continue
        counts = out.setdefault(str(row[key]), [0.0] * len(window))
        counts[i] = (counts[i] or 0) + cast(int, row["n"])
    return out


def _counted(queryset: QuerySet[Any], date_field: str, key: str) -> Iterable[dict[str, object]]:
    return (  # type: ignore[no-any-return]
        queryset.annotate(month=TruncMonth(date_field))
        .values("month", key)
        .annotate(n=Count("pk"))
        .order_by()
    )


def requests_by_type(window: list[Month]) -> dict[str, list[float | None]]:
    """Requests received per month, by type (the ``RequestType`` value)."""
    rows = _counted(
        DataSubjectRequest.objects.filter(received_at__gte=_start(window)),
        "received_at",
        "request_type",
    )
    return _per_month(rows, window, "request_type")


OPEN = "open"


def requests_by_outcome(window: list[Month]) -> dict[str, list[float | None]]:
    """Requests received per month by where they stand: done, refused, lapsed, or ``open``."""
    rows = _counted(
        DataSubjectRequest.objects.filter(received_at__gte=_start(window)),
        "received_at",
        "status",
    )
    by_status = _per_month(rows, window, "status")
    out: dict[str, list[float | None]] = {}
    for status, counts in by_status.items():
        key = OPEN if status in RequestStatus.open() else status
        merged = out.setdefault(key, [0.0] * len(window))
        out[key] = [(a or 0) + (b or 0) for a, b in zip(merged, counts, strict=True)]
    return out


@dataclass(frozen=True)
class AnswerTimes:
    """Days left before the deadline when the answer was given, per month answered (negative:
    late): the median and the worst (the fewest left)."""

    median: list[float | None]
    worst: list[float | None]
    answered: list[int]


def answer_times(window: list[Month]) -> AnswerTimes:
    spare: dict[Month, list[int]] = defaultdict(list)
    answered = DataSubjectRequest.objects.filter(
        status__in=[RequestStatus.DONE, RequestStatus.REFUSED],
        completed_at__gte=_start(window),
    ).values_list("completed_at", "due_on", "extended_until")
    for completed_at, due_on, extended_until in answered:
        deadline = extended_until or due_on
        completed = timezone.localtime(completed_at).date()
        spare[_month_of(completed)].append((deadline - completed).days)
    return AnswerTimes(
        median=[float(statistics.median(spare[m])) if spare[m] else None for m in window],
        worst=[float(min(spare[m])) if spare[m] else None for m in window],
        answered=[len(spare[m]) for m in window],
    )


def consents_by_purpose(window: list[Month]) -> dict[str, dict[str, list[float | None]]]:
    """Per purpose (its name): consents given and withdrawn per month."""
    rows = (
        ConsentEvent.objects.filter(
            occurred_at__gte=_start(window),
            purpose__isnull=False,
            action__in=[ConsentAction.GRANTED, ConsentAction.WITHDRAWN],
        )
        .annotate(month=TruncMonth("occurred_at"), purpose_name=F("purpose__name"))
        .values("month", "purpose_name", "action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_purpose: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        by_purpose[str(row["purpose_name"])].append(row)
    return {
        purpose: _per_month(purpose_rows, window, "action")
        for purpose, purpose_rows in sorted(by_purpose.items())
    }


def banner_decisions(window: list[Month]) -> dict[str, list[float | None]]:
    """Cookie-banner decisions per month: granted and refused (one per purpose decided)."""
    rows = _counted(
        ConsentEvent.objects.filter(
            occurred_at__gte=_start(window),
            method=ConsentMethod.COOKIE_BANNER,
            action__in=[ConsentAction.GRANTED, ConsentAction.REFUSED],
        ),
        "occurred_at",
        "action",
    )
    return _per_month(rows, window, "action")


def retention_removals(window: list[Month]) -> dict[str, list[float | None]]:
    """Records deleted and anonymised by the retention sweep per month (dry runs left out)."""
    index = {month: i for i, month in enumerate(window)}
    out: dict[str, list[float | None]] = {
        RetentionAction.DELETE.value: [0.0] * len(window),
        RetentionAction.ANONYMISE.value: [0.0] * len(window),
    }
    # A run's counts are committed with each batch: a running or interrupted one counts too.
    runs = SweepRun.objects.filter(started_at__gte=_start(window))
    for started_at, report in runs.values_list("started_at", "report"):
        i = index.get(_month_of(started_at))
        if i is None or not isinstance(report, dict) or report.get("dry_run"):
            continue
        for rule in report.get("rules", []):
            action = rule.get("action")
            if action in out:
                out[action][i] = (out[action][i] or 0) + int(rule.get("count", 0))
    return out
