"""Claiming due jobs and enqueueing their tasks.

Any number of scheduler processes may run against one PostgreSQL: a due job is locked with
``SELECT ... FOR UPDATE SKIP LOCKED`` and advanced in the same transaction, and the advance is
conditional on the ``next_run_at`` that was read, so a job falls due and is enqueued once even
where the database has no row locks (SQLite). The task is enqueued after commit."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from ..models import PeriodicJob
from ..registry import JOBS, JobSpec

logger = logging.getLogger(__name__)


def next_run(job: PeriodicJob | JobSpec, after: datetime.datetime) -> datetime.datetime:
    """The first time strictly after ``after`` the job is due. Runs missed while no scheduler
    was running are not made up: the job runs once, then keeps its rhythm."""
    interval = (
        job.interval
        if isinstance(job, JobSpec)
        else datetime.timedelta(seconds=job.interval_seconds)
        if job.interval_seconds
        else None
    )
    if interval is not None:
        return after + interval
    assert job.daily_at is not None  # noqa: S101 - the model's check constraint guarantees it
    local = timezone.localtime(after)
    candidate = timezone.make_aware(datetime.datetime.combine(local.date(), job.daily_at))
    while candidate <= after:
        candidate = timezone.make_aware(
            datetime.datetime.combine(
                timezone.localtime(candidate).date() + datetime.timedelta(days=1), job.daily_at
            )
        )
    return candidate


def sync_jobs(*, now: datetime.datetime | None = None) -> int:
    """Store each declared job that is not stored yet; returns how many were added."""
    now = now or timezone.now()
    added = 0
    for spec in JOBS.values():
        _job, created = PeriodicJob.objects.get_or_create(
            name=spec.name,
            defaults={
                "task_path": spec.task_path,
                "interval_seconds": int(spec.interval.total_seconds()) if spec.interval else None,
                "daily_at": spec.daily_at,
                "next_run_at": next_run(spec, now),
            },
        )
        added += created
    return added


def _enqueue(job_id: int, task_path: str) -> None:
    task = import_string(task_path)
    if not isinstance(task, Task):
        logger.error("periodic job %s: %s is not a task", job_id, task_path)
        return
    result = task.enqueue()
    PeriodicJob.objects.filter(pk=job_id).update(last_result_id=str(result.id))
    logger.info("periodic job %s enqueued as %s", job_id, result.id)


def claim_due_jobs(*, now: datetime.datetime | None = None, limit: int = 10) -> list[str]:
    """Claim the jobs due at ``now``, advance them, and enqueue their tasks after commit.
    Returns the names of the jobs claimed."""
    now = now or timezone.now()
    claimed: list[str] = []
    with transaction.atomic():
        due = (
            PeriodicJob.objects.select_for_update(skip_locked=True)
            .filter(enabled=True, next_run_at__lte=now)
            .order_by("next_run_at")[:limit]
        )
        for job in due:
            advanced = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                next_run_at=next_run(job, now), last_run_at=now
            )
            if advanced:
                claimed.append(job.name)
                transaction.on_commit(partial(_enqueue, job.pk, job.task_path))
    return claimed
