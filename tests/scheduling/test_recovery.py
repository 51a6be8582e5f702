"""Jobs whose worker was lost are run again, up to the maximum attempts, then failed."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from personvern.consent.tasks import verify_ledger_task
from personvern.scheduling.management.commands.worker import HeartbeatWorker
from personvern.scheduling.models import WorkerHeartbeat
from personvern.scheduling.services import (
    WORKER_LOST_ERROR,
    job_interrupted,
    recover_lost_jobs,
    register_worker,
)

pytestmark = pytest.mark.django_db

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
        "ENQUEUE_ON_COMMIT": False,
    }
}


@pytest.fixture(autouse=True)
def _database_tasks(settings: Any) -> None:
    settings.TASKS = DB_TASKS
    settings.PERSONVERN = {**settings.PERSONVERN, "JOB_LEASE_SECONDS": 60, "JOB_MAX_ATTEMPTS": 3}


def running_job(*workers: str, minutes_ago: int = 10) -> DBTaskResult[Any, Any]:
    """A job claimed once per worker in ``workers`` (the last one holds it), started long ago."""
    job = DBTaskResult.objects.get(pk=verify_ledger_task.enqueue().id)
    for worker in workers:
        job.claim(worker)
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=started)
    job.refresh_from_db()
    return job


def worker_last_seen(worker_id: str, *, minutes_ago: float) -> None:
    register_worker(worker_id=worker_id)
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        beat_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


# The worker closes its connection between jobs, as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_stopped_beating_is_run_again_and_a_live_workers_job_is_not():
    # given a job of a dead worker, a long job of a live one, and one of a worker that never
    # had a heartbeat (django-tasks-db's own worker)
    worker_last_seen("dead", minutes_ago=5)
    worker_last_seen("alive", minutes_ago=0.1)
    lost = running_job("dead")
    long_running = running_job("alive")
    unknown = running_job("db-worker")
    # when the jobs are recovered
    report = recover_lost_jobs()
    # then the lost ones are ready for the next worker, with their attempt kept
    assert sorted(report.retried) == sorted([str(lost.pk), str(unknown.pk)])
    assert report.failed == []
    lost.refresh_from_db()
    long_running.refresh_from_db()
    assert (lost.status, lost.worker_ids) == (TaskResultStatus.READY, ["dead"])
    assert long_running.status == TaskResultStatus.RUNNING
    # and a second pass (another worker, the scheduler) finds nothing more to do
    assert recover_lost_jobs().retried == []
    # when a worker runs what is ready, then the lost job succeeds on its second attempt
    HeartbeatWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="next",
        excluded_queue_names=[],
    ).run()
    lost.refresh_from_db()
    assert (lost.status, lost.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["dead", "next"])
    assert WorkerHeartbeat.objects.get(worker_id="next").stopped_at is not None


def test_a_job_is_not_taken_from_a_worker_inside_its_lease():
    worker_last_seen("gone", minutes_ago=0.5)  # the lease is a minute
    job = running_job("gone")
    assert recover_lost_jobs().retried == []
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING


def test_a_job_lost_on_its_last_attempt_fails_with_the_reason():
    worker_last_seen("third", minutes_ago=5)
    job = running_job("first", "second", "third")
    report = recover_lost_jobs()
    assert report.failed == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == WORKER_LOST_ERROR
    assert "stopped responding" in job.traceback and "Attempt 3 of 3" in job.traceback


def test_a_job_stopped_by_its_worker_is_set_back_for_the_next():
    # given a job the worker stopped in the middle (a second Ctrl-C: SystemExit in the task)
    job = running_job("stopped", minutes_ago=0)
    job.set_failed(SystemExit(1))
    # when the worker reports it, then it is ready again, not failed
    job_interrupted(task_result_id=str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.exception_class_path) == (TaskResultStatus.READY, "")


def test_a_job_that_raised_is_not_set_back():
    job = running_job("w", minutes_ago=0)
    job.set_failed(RuntimeError("broken"))
    assert job_interrupted(task_result_id=str(job.pk)) is None
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED


def test_the_scheduler_recovers_lost_jobs():
    worker_last_seen("dead", minutes_ago=5)
    job = running_job("dead")
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert f"Job {job.pk}: its worker was lost; run again." in out.getvalue()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY


def test_a_job_that_lost_the_database_is_run_again_after_a_wait_then_failed():
    from django.db import OperationalError

    # given a job that failed on its first attempt because the database went away
    job = running_job("w", minutes_ago=0)
    job.set_failed(OperationalError("server closed the connection unexpectedly"))
    # when the worker reports it, then it is ready again, but only after a wait
    job_interrupted(task_result_id=str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.exception_class_path) == (TaskResultStatus.READY, "")
    assert job.run_after > timezone.now() + datetime.timedelta(seconds=20)
    assert not DBTaskResult.objects.ready().filter(pk=job.pk).exists()
    # when it fails so on its last attempt, then it is failed with the error's class
    job.claim("w2")
    job.claim("w3")
    job.set_failed(OperationalError("again"))
    job_interrupted(task_result_id=str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.exception_class_path) == (
        TaskResultStatus.FAILED,
        "django.db.utils.OperationalError",
    )
    assert "could not be reached" in job.traceback and "Attempt 3 of 3" in job.traceback
