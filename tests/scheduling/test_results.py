"""Finished jobs' rows do not pile up: successful ones are deleted after JOB_RESULT_DAYS,
failed and running ones stay."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from personvern.consent.tasks import verify_ledger_task
from personvern.scheduling.registry import JOBS
from personvern.scheduling.services import prune_finished_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"], "ENQUEUE_ON_COMMIT": False}}  # fmt: skip
    settings.PERSONVERN = {**settings.PERSONVERN, "JOB_RESULT_DAYS": 7}


def job(status: str, *, days_ago: float | None) -> str:
    pk = str(verify_ledger_task.enqueue().id)
    finished = None if days_ago is None else timezone.now() - datetime.timedelta(days=days_ago)
    DBTaskResult.objects.filter(pk=pk).update(status=status, finished_at=finished)
    return pk


def test_successful_jobs_go_after_their_days_and_failed_or_running_ones_stay():
    # given jobs that succeeded 8 and 6 days ago, one that failed 30 days ago, one running
    old = job(TaskResultStatus.SUCCESSFUL, days_ago=8)
    recent = job(TaskResultStatus.SUCCESSFUL, days_ago=6)
    failed = job(TaskResultStatus.FAILED, days_ago=30)
    running = job(TaskResultStatus.RUNNING, days_ago=None)
    # when the nightly job runs
    assert prune_finished_jobs() == 1
    # then only the old successful one is gone
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} == {recent, failed, running}
    assert old not in {str(pk) for pk in left}


def test_the_pruning_runs_every_night():
    spec = JOBS["scheduling-prune-results"]
    assert spec.task_path == "personvern.scheduling.tasks.prune_finished_jobs_task"
    assert spec.daily_at == datetime.time(4, 45)
