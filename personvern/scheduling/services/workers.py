"""Workers' heartbeats, and jobs run again when their worker is lost: at-least-once jobs.

django-tasks-db marks a job RUNNING when a worker claims it and leaves it so if the worker
dies (SIGKILL, out of memory, a lost machine): no other worker ever takes it again. Each
``personvern worker`` therefore records a heartbeat from a thread (``WorkerHeartbeat``) while
it runs, and any worker (on its heartbeat) and the scheduler (on every pass) call
``recover_lost_jobs``: a RUNNING job whose worker has not beaten for the lease is set back to
READY for the next worker, or, once it has had ``JOB_MAX_ATTEMPTS`` runs, marked FAILED with
the reason. A job's attempts are its claims (``DBTaskResult.worker_ids``, one id per claim).
Every task is written to be safe to run twice, so a job run again finishes what was left.

Several workers and schedulers may recover at once, on PostgreSQL or SQLite: the job row is
locked (``SELECT ... FOR UPDATE SKIP LOCKED``; SQLite's writers take the database lock when
their transaction begins) and changed only if it is still the same claim (``status`` and
``started_at`` as read), with the worker's heartbeat read again inside that transaction.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .. import config
from ..choices import JobTroubleKind, JobTroubleReason
from ..models import WorkerHeartbeat
from ..registry import WATCHERS, JobTrouble

logger = logging.getLogger(__name__)

# The "exception" recorded on a job given up after its worker was lost on the last attempt.
WORKER_LOST_ERROR = "personvern.scheduling.WorkerLost"
# Exceptions after which a job is run again rather than failed, with the reason and the wait
# per attempt so far: the worker was stopped (a second Ctrl-C), or the database went away for
# a moment (a restart, a fail-over, SQLite busy past its timeout). Any other error would fail
# the same way again.
RETRIED_ERRORS: dict[str, tuple[JobTroubleReason, timedelta]] = {
    "builtins.SystemExit": (JobTroubleReason.WORKER_STOPPED, timedelta(0)),
    "builtins.KeyboardInterrupt": (JobTroubleReason.WORKER_STOPPED, timedelta(0)),
    "django.db.utils.OperationalError": (
        JobTroubleReason.DATABASE_UNAVAILABLE,
        timedelta(seconds=30),
    ),
    "django.db.utils.InterfaceError": (
        JobTroubleReason.DATABASE_UNAVAILABLE,
        timedelta(seconds=30),
    ),
}
# The job's recorded "traceback" when it is given up (for operators; English like the rest).
MESSAGES = {
    JobTroubleReason.WORKER_STOPPED: "The worker was stopped during the job.",
    JobTroubleReason.DATABASE_UNAVAILABLE: "The database could not be reached.",
}
# Heartbeat rows of workers gone this long are deleted (ids are random per start).
FORGET_WORKERS_AFTER = timedelta(days=7)


@dataclass
class RecoveryReport:
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def register_worker(*, worker_id: str) -> None:
    """A worker starts: its first heartbeat."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "beat_at": now,
            "stopped_at": None,
            "task_result_id": "",
        },
    )


def beat(*, worker_id: str, task_result_id: str = "") -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        beat_at=timezone.now(), task_result_id=task_result_id
    )


def stop_worker(*, worker_id: str) -> None:
    """A worker stops cleanly (it finished its job first)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        stopped_at=timezone.now(), task_result_id=""
    )


def recover_lost_jobs(*, now: datetime | None = None) -> RecoveryReport:
    """Run again, or give up on, every RUNNING job whose worker's lease has expired."""
    now = now or timezone.now()
    cutoff = now - config.lease()
    report = RecoveryReport()
    alive = _alive_workers(cutoff)
    candidates = list(  # read whole before writing: SQLite cursors and writes do not mix
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).values_list("pk", "worker_ids")
    )
    for pk, worker_ids in candidates:
        if worker_ids and worker_ids[-1] in alive:
            continue
        outcome = _recover(pk, cutoff=cutoff, now=now)
        if outcome == JobTroubleKind.RETRYING:
            report.retried.append(str(pk))
        elif outcome == JobTroubleKind.FAILED:
            report.failed.append(str(pk))
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return report


def _alive_workers(cutoff: datetime) -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(beat_at__gte=cutoff, stopped_at__isnull=True).values_list(
            "worker_id", flat=True
        )
    )


def _recover(pk: UUID, *, cutoff: datetime, now: datetime) -> JobTroubleKind | None:
    with exclusive_transaction(DBTaskResult.objects.db):
        job = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .first()
        )
        if job is None:  # finished, recovered or claimed again meanwhile
            return None
        worker_ids = list(job.worker_ids)
        if worker_ids and worker_ids[-1] in _alive_workers(cutoff):
            return None  # it beat while we looked
        lease = int(config.lease().total_seconds())
        return _retry_or_fail(
            job,
            reason=JobTroubleReason.WORKER_LOST,
            now=now,
            message=f"The worker stopped responding (no heartbeat for {lease} s).",
        )


def job_interrupted(*, task_result_id: str) -> JobTroubleKind | None:
    """The job failed with one of ``RETRIED_ERRORS`` (the base worker records a worker stopped
    mid-job as failed with SystemExit): it is run again, after a wait growing with each
    attempt, or failed for good on its last."""
    with exclusive_transaction(DBTaskResult.objects.db):
        job = (
            DBTaskResult.objects.select_for_update()
            .filter(pk=task_result_id, status=TaskResultStatus.FAILED)
            .first()
        )
        if job is None or job.exception_class_path not in RETRIED_ERRORS:
            return None
        reason, wait = RETRIED_ERRORS[job.exception_class_path]
        now = timezone.now()
        return _retry_or_fail(
            job,
            reason=reason,
            now=now,
            message=MESSAGES[reason],
            expected_status=TaskResultStatus.FAILED,
            error=job.exception_class_path,
            retry_at=now + wait * len(job.worker_ids) if wait else None,
        )


def job_failed(*, task_result_id: str) -> None:
    """A job raised an exception: tell its watcher. It is not run again by itself, since the
    same data would fail the same way; staff see the reason and run it again when fixed."""
    job = DBTaskResult.objects.filter(pk=task_result_id, status=TaskResultStatus.FAILED).first()
    if job is None:
        return
    with transaction.atomic():
        _notify(
            job,
            kind=JobTroubleKind.FAILED,
            reason=JobTroubleReason.ERROR,
            error=job.exception_class_path,
        )


def _retry_or_fail(
    job: DBTaskResult[Any, Any],
    *,
    reason: JobTroubleReason,
    now: datetime,
    message: str,
    expected_status: str = TaskResultStatus.RUNNING,
    error: str = WORKER_LOST_ERROR,
    retry_at: datetime | None = None,
) -> JobTroubleKind | None:
    attempts = len(job.worker_ids)
    maximum = config.max_attempts()
    same_claim = DBTaskResult.objects.filter(
        pk=job.pk, status=expected_status, started_at=job.started_at
    )
    if attempts >= maximum:
        changed = same_claim.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=error,
            traceback=f"{message} Attempt {attempts} of {maximum}: not run again.",
        )
        kind = JobTroubleKind.FAILED
    else:
        changed = same_claim.update(
            status=TaskResultStatus.READY,
            finished_at=None,
            exception_class_path="",
            traceback="",
            **({"run_after": retry_at} if retry_at else {}),
        )
        kind = JobTroubleKind.RETRYING
    if not changed:
        return None
    logger.warning(
        "job %s (%s): %s on attempt %d of %d, %s",
        job.pk,
        job.task_path,
        reason.value,
        attempts,
        maximum,
        "run again" if kind == JobTroubleKind.RETRYING else "given up",
    )
    _notify(
        job,
        kind=kind,
        reason=reason,
        error="" if error == WORKER_LOST_ERROR and kind == JobTroubleKind.RETRYING else error,
    )
    return kind


def _notify(
    job: DBTaskResult[Any, Any], *, kind: JobTroubleKind, reason: JobTroubleReason, error: str
) -> None:
    """Tell the task's watcher, if it has one. A watcher that fails is logged and does not
    undo the recovery (it runs in a savepoint)."""
    watcher = WATCHERS.get(job.task_path)
    if watcher is None:
        return
    trouble = JobTrouble(
        task_result_id=str(job.pk),
        task_path=job.task_path,
        kind=kind,
        reason=reason,
        attempt=len(job.worker_ids),
        max_attempts=config.max_attempts(),
        args=list(job.args_kwargs.get("args", [])),
        kwargs=dict(job.args_kwargs.get("kwargs", {})),
        error=error,
    )
    try:
        with transaction.atomic():
            watcher(trouble)
    except Exception:
        logger.exception("job %s: its watcher failed", job.pk)
