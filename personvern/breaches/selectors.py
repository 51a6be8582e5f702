"""Reads of the breach register: what awaits notification, the staff home page's items."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.workplace import Urgency, WorkplaceItem

from . import clock
from .choices import BreachRisk, BreachStatus, NotificationPhase
from .models import Breach, SecuritySignal


def awaiting_notification() -> QuerySet[Breach]:
    """Open breaches not assessed as unlikely to be a risk, with no initial notification yet:
    the ones whose 72 hours matter."""
    return (
        Breach.objects.filter(status=BreachStatus.OPEN, risk__in=BreachRisk.notifiable())
        .exclude(notifications__phase=NotificationPhase.INITIAL)
        .order_by("aware_at")
    )


def open_signals() -> QuerySet[SecuritySignal]:
    return SecuritySignal.objects.filter(breach__isnull=True, dismissed_at__isnull=True)


def workplace_items(user: Any) -> list[WorkplaceItem]:
    items: list[WorkplaceItem] = []
    if user.has_perm("breaches.view_breach"):
        now = timezone.now()
        url = reverse("admin:breaches_breach_changelist") + "?status__exact=open"
        for breach in awaiting_notification():
            left = clock.time_left(breach.aware_at, now)
            urgency = (Urgency.OVERDUE if left.total_seconds() < 0
                       else Urgency.DUE_SOON)  # fmt: skip
            items.append(WorkplaceItem(
                key=f"breaches.open.{breach.pk}", section=_("Breaches"),
                label=_("Breach #%(id)s: %(left)s left to notify Datatilsynet")
                % {"id": breach.pk, "left": clock.hours_left_label(breach.aware_at, now)},
                count=1, url=url, urgency=urgency,
            ))  # fmt: skip
    if user.has_perm("breaches.view_securitysignal"):
        count = open_signals().count()
        if count:
            items.append(WorkplaceItem(
                key="breaches.signals", section=_("Breaches"),
                label=_("Possible incidents from the security log"), count=count,
                url=reverse("admin:breaches_securitysignal_changelist"),
                urgency=Urgency.DUE_SOON,
            ))  # fmt: skip
    return items
