"""``/healthz``'s checks of the background processes (registered in ``apps.py``): a worker and
a scheduler are each ``"ok"`` when one of them has beaten within
``PERSONVERN_HEARTBEAT_STALE_SECONDS`` and not signed off, ``"stale"`` when they all stopped
beating, ``"missing"`` when none ever ran against this database."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from .models import SchedulerHeartbeat, WorkerHeartbeat


def _state(model: type[Model]) -> str:
    manager = model._default_manager
    cutoff = timezone.now() - datetime.timedelta(
        seconds=settings.PERSONVERN_HEARTBEAT_STALE_SECONDS
    )
    if manager.filter(beat_at__gte=cutoff, stopped_at__isnull=True).exists():
        return "ok"
    return "stale" if manager.exists() else "missing"


def worker() -> str:
    return _state(WorkerHeartbeat)


def scheduler() -> str:
    return _state(SchedulerHeartbeat)
