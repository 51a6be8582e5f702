"""The scheduler's heartbeat: recorded on every pass, so ``/healthz`` can tell a supervisor
that no periodic job would be enqueued."""

from __future__ import annotations

import os
import socket

from django.utils import timezone

from ..models import SchedulerHeartbeat
from .workers import FORGET_WORKERS_AFTER


def scheduler_beat(*, scheduler_id: str) -> None:
    now = timezone.now()
    updated = SchedulerHeartbeat.objects.filter(scheduler_id=scheduler_id).update(
        beat_at=now, stopped_at=None
    )
    if updated:
        return
    SchedulerHeartbeat.objects.create(
        scheduler_id=scheduler_id,
        hostname=socket.gethostname()[:255],
        pid=os.getpid(),
        started_at=now,
        beat_at=now,
    )
    SchedulerHeartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()


def stop_scheduler(*, scheduler_id: str) -> None:
    SchedulerHeartbeat.objects.filter(scheduler_id=scheduler_id).update(stopped_at=timezone.now())
