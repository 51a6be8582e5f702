"""The figures behind the home page's charts, counted in the database per calendar month.

Each function takes the months to show (``months(today, n)``: the first day of each, oldest
first) and returns plain numbers in that order; ``charts.py`` draws them and ``home.py`` picks
those the signed-in role may see. Months are local time (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from personvern.consent.choices import ConsentAction, ConsentMethod
from personvern.consent.models import ConsentEvent
from personvern.core.dates import add_months
from personvern.retention.choices import RetentionAction
from personvern.retention.models import SweepRun
from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest

Month = datetime.date
# Per value (a request type, an action): one figure per month of the window.
CountsByKey = dict[str, list[float | None]]


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


def _bounds(window: list[Month]) -> list[datetime.datetime]:
    """The first moment of each month of ``window`` (local time) and of the month after."""
    days = [*window, add_months(window[-1], 1)]
    return [timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) for day in days]


def _counted(
    queryset: QuerySet[Any], date_field: str, *keys: str, window: list[Month]
) -> list[dict[str, Any]]:
    """Rows of ``keys`` with ``m0``…``m11``: how many fall in each month. One query; each month
    is a range on ``date_field`` (an index serves it), no per-row date function."""
    bounds = _bounds(window)
    months_counted = {
        f"m{i}": Count("pk", filter=Q(**{f"{date_field}__gte": bounds[i],
                                         f"{date_field}__lt": bounds[i + 1]}))
        for i in range(len(window))
    }  # fmt: skip
    return list(
        queryset.filter(**{f"{date_field}__gte": bounds[0], f"{date_field}__lt": bounds[-1]})
        .values(*keys)
        .annotate(**months_counted)
        .order_by()
    )


def _per_month(rows: list[dict[str, Any]], key: str, window: list[Month]) -> CountsByKey:
    out: CountsByKey = {}
    for row in rows:
        counts = out.setdefault(str(row[key]), [0.0] * len(window))
        for i in range(len(window)):
            counts[i] = (counts[i] or 0) + row[f"m{i}"]
    return out


def requests_by_type(window: list[Month]) -> CountsByKey:
    """Requests received per month, by type (the ``RequestType`` value)."""
    rows = _counted(DataSubjectRequest.objects.all(), "received_at", "request_type", window=window)
    return _per_month(rows, "request_type", window)


OPEN = "open"


def requests_by_outcome(window: list[Month]) -> CountsByKey:
    """Requests received per month by where they stand: done, refused, lapsed, or ``open``."""
    rows = _counted(DataSubjectRequest.objects.all(), "received_at", "status", window=window)
    by_status = _per_month(rows, "status", window)
    out: CountsByKey = {}
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


def consents_by_purpose(window: list[Month]) -> dict[str, CountsByKey]:
    """Per purpose (its name): consents given and withdrawn per month."""
    rows = _counted(
        ConsentEvent.objects.filter(
            purpose__isnull=False, action__in=[ConsentAction.GRANTED, ConsentAction.WITHDRAWN]
        ),
        "occurred_at", "purpose__name", "action", window=window,
    )  # fmt: skip
    by_purpose: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_purpose[str(row["purpose__name"])].append(row)
    return {
        purpose: _per_month(purpose_rows, "action", window)
        for purpose, purpose_rows in sorted(by_purpose.items())
    }


def banner_decisions(window: list[Month]) -> CountsByKey:
    """Cookie-banner decisions per month: granted and refused (one per purpose decided)."""
    rows = _counted(
        ConsentEvent.objects.filter(
            method=ConsentMethod.COOKIE_BANNER,
            action__in=[ConsentAction.GRANTED, ConsentAction.REFUSED],
        ),
        "occurred_at", "action", window=window,
    )  # fmt: skip
    return _per_month(rows, "action", window)


def retention_removals(window: list[Month]) -> CountsByKey:
    """Records deleted and anonymised by the retention sweep per month (dry runs left out)."""
    index = {month: i for i, month in enumerate(window)}
    out: CountsByKey = {
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
