"""Periodic jobs: django-tasks runs tasks but does not schedule them; the ``scheduler``
process enqueues each job's task when it falls due."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    task_path = models.CharField(
        _("task"), max_length=200, help_text=_("Dotted path of a django-tasks task.")
    )
    interval_seconds = models.PositiveIntegerField(_("every (seconds)"), null=True, blank=True)
    daily_at = models.TimeField(_("daily at (local time)"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    next_run_at = models.DateTimeField(_("next run"), default=timezone.now, db_index=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_result_id = models.CharField(_("last task result"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_seconds__isnull=False, daily_at__isnull=True)
                | Q(interval_seconds__isnull=True, daily_at__isnull=False),
                name="scheduling_job_one_schedule",
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A ``personvern worker`` process and when it last said it was alive. A running job whose
    worker's heartbeat is older than the lease is run again (see ``services.recovery``):
    django-tasks-db alone leaves such a job running for ever."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    task_result_id = models.CharField(
        _("running job"), max_length=64, blank=True, help_text=_("The job it is running now.")
    )

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.worker_id


class SchedulerHeartbeat(models.Model):
    """A ``personvern scheduler`` process and when it last said it was alive: without one no
    periodic job (the retention sweep among them) is enqueued, which ``/healthz`` reports."""

    scheduler_id = models.CharField(_("scheduler id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduler")
        verbose_name_plural = _("schedulers")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.scheduler_id
