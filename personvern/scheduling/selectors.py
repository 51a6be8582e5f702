"""Reads over background jobs: how a task's latest job stands, for the apps that show it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import config
from .choices import JobTroubleKind, JobTroubleReason
from .services.workers import WORKER_LOST_ERROR


@dataclass(frozen=True)
class JobState:
    status: str
    attempts: int
    max_attempts: int
    trouble: JobTroubleKind | None
    error: str

    def describe(self, retry_reason: JobTroubleReason | None = None) -> str:
        """For staff: what the job is doing and, when in trouble, why (no personal data).
        Why a job is being run again is not on the job row: the caller passes it (from the
        request's timeline, say)."""
        attempt = _("attempt %(n)s of %(max)s") % {"n": self.attempts, "max": self.max_attempts}
        if self.trouble == JobTroubleKind.FAILED:
            reason = (
                _("the worker stopped responding")
                if self.error == WORKER_LOST_ERROR
                else _("error %(error)s") % {"error": self.error}
            )
            return str(
                _("Failed (%(attempt)s): %(reason)s") % {"attempt": attempt, "reason": reason}
            )
        if self.trouble == JobTroubleKind.RETRYING:
            if retry_reason is None:
                return str(_("Being run again (%(attempt)s)") % {"attempt": attempt})
            return str(
                _("Being run again (%(attempt)s): %(reason)s")
                % {"attempt": attempt, "reason": retry_reason.label}
            )
        return str(TaskResultStatus(self.status).label)


def job_state(job: DBTaskResult[Any, Any]) -> JobState:
    attempts = len(job.worker_ids)
    trouble: JobTroubleKind | None = None
    if job.status == TaskResultStatus.FAILED:
        trouble = JobTroubleKind.FAILED
    elif (job.status == TaskResultStatus.READY and attempts >= 1) or (
        job.status == TaskResultStatus.RUNNING and attempts > 1
    ):
        trouble = JobTroubleKind.RETRYING  # claimed before, set back after its worker was lost
    return JobState(
        status=str(job.status),
        attempts=attempts,
        max_attempts=config.max_attempts(),
        trouble=trouble,
        error=job.exception_class_path,
    )


def latest_jobs(*, task_path: str, first_args: Iterable[int]) -> dict[int, JobState]:
    """The latest job of the task per first argument (an id), for those ids that have one."""
    ids = list(first_args)
    jobs = DBTaskResult.objects.filter(task_path=task_path, args_kwargs__args__0__in=ids).order_by(
        "enqueued_at"
    )
    latest: dict[int, JobState] = {}
    for job in jobs:
        args = job.args_kwargs.get("args") or [None]
        if isinstance(args[0], int):
            latest[args[0]] = job_state(job)
    return latest
