"""Reads on the website's side: the cookie register with the lifetime flag, the blocklist's
review list, the IP log and its masked statistics."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, QuerySet, Sum, Value, When
from django.utils import timezone

from personvern.organisation.selectors import get_controller

from .models import BlockEntry, Cookie, IpLogEntry, IpStatistic


def lifetime_limit() -> int | None:
    """The organisation's cookie lifetime limit in days, or None before it is registered."""
    controller = get_controller()
    return controller.cookie_lifetime_limit_days if controller else None


def cookies_with_flag(limit: int | None = None) -> QuerySet[Cookie]:
    """Every cookie, annotated ``exceeds_limit`` when it lives longer than the limit."""
    limit = lifetime_limit() if limit is None else limit
    flag = (
        Case(
            When(lifetime_days__gt=limit, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        if limit is not None
        else Value(False, output_field=BooleanField())
    )
    return Cookie.objects.select_related("purpose").annotate(exceeds_limit=flag)


def active_blocks() -> QuerySet[BlockEntry]:
    return BlockEntry.objects.filter(lifted_at__isnull=True)


def blocks_due_for_review(today: datetime.date | None = None) -> QuerySet[BlockEntry]:
    """Active blocks whose review date has come: the periodic review list."""
    return (
        active_blocks()
        .filter(review_on__lte=today or timezone.localdate())
        .order_by("review_on", "pk")
    )


def ip_log() -> QuerySet[IpLogEntry]:
    return IpLogEntry.objects.order_by("-at", "-pk")


def masked_statistics(*, since: datetime.date | None = None) -> QuerySet[IpStatistic]:
    """Requests per masked network (never a full address), most active first."""
    rows = IpStatistic.objects.all()
    if since is not None:
        rows = rows.filter(day__gte=since)
    return (
        rows.values("masked_ip", "source")
        .annotate(total=Sum("requests"))
        .order_by(  # type: ignore[return-value]
            "-total", "masked_ip"
        )
    )
