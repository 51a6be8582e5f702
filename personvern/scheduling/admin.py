from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.admin import ReadOnlyAdmin

from . import config
from .models import PeriodicJob, SchedulerHeartbeat, WorkerHeartbeat


@admin.register(PeriodicJob)
class PeriodicJobAdmin(ReadOnlyAdmin[PeriodicJob]):
    """Read-only: jobs are declared in code and stored by the scheduler."""

    list_display = (
        "name",
        "task_path",
        "interval_seconds",
        "daily_at",
        "enabled",
        "next_run_at",
        "last_run_at",
    )

    show_every_field = True


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin[WorkerHeartbeat]):
    """Read-only: the workers and their last heartbeat. A job of a worker that is not alive is
    run again by the next worker or the scheduler (django-tasks' own admin lists the jobs)."""

    list_display = (
        "worker_id",
        "hostname",
        "pid",
        "started_at",
        "beat_at",
        "alive",
        "task_result_id",
    )

    @admin.display(description=_("alive"), boolean=True)
    def alive(self, obj: WorkerHeartbeat) -> bool:
        return obj.stopped_at is None and obj.beat_at >= timezone.now() - config.lease()

    show_every_field = True


@admin.register(SchedulerHeartbeat)
class SchedulerHeartbeatAdmin(ReadOnlyAdmin[SchedulerHeartbeat]):
    """Read-only: the schedulers and their last heartbeat (``/healthz`` reports them)."""

    list_display = ("scheduler_id", "hostname", "pid", "started_at", "beat_at", "stopped_at")
    show_every_field = True
