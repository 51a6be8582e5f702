from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import config
from .models import PeriodicJob, WorkerHeartbeat


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin[PeriodicJob]):
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in PeriodicJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in WorkerHeartbeat._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
