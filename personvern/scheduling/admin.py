from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import PeriodicJob


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
