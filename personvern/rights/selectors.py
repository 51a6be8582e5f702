"""Reads over requests: the staff lists and the deadlines."""

from __future__ import annotations

import datetime

from django.db.models import DateField, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import RequestStatus
from .models import DataSubjectRequest, RequestEvent


def requests_with_relations() -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.select_related("person", "received_by").annotate(
        effective_deadline=Coalesce("extended_until", "due_on", output_field=DateField())
    )


def _deadline_before(day: datetime.date, *, inclusive: bool) -> Q:
    """The answer is due on or before ``day`` (the extension counts when there is one)."""
    lookup = "lte" if inclusive else "lt"
    return Q(extended_until__isnull=False, **{f"extended_until__{lookup}": day}) | Q(
        extended_until__isnull=True, **{f"due_on__{lookup}": day}
    )


def open_requests() -> QuerySet[DataSubjectRequest]:
    return requests_with_relations().filter(status__in=RequestStatus.open())


def due_within(days: int, *, today: datetime.date | None = None) -> QuerySet[DataSubjectRequest]:
    """Open requests due within ``days`` days, overdue ones included."""
    today = today or timezone.localdate()
    return open_requests().filter(
        _deadline_before(today + datetime.timedelta(days=days), inclusive=True)
    )


def overdue(*, today: datetime.date | None = None) -> QuerySet[DataSubjectRequest]:
    today = today or timezone.localdate()
    return open_requests().filter(_deadline_before(today, inclusive=False))


def due_soon(days: int, *, today: datetime.date | None = None) -> QuerySet[DataSubjectRequest]:
    """Open and not yet overdue, due within ``days`` days."""
    today = today or timezone.localdate()
    return due_within(days, today=today).exclude(_deadline_before(today, inclusive=False))


def timeline(request: DataSubjectRequest) -> QuerySet[RequestEvent]:
    return request.events.order_by("at", "pk")
