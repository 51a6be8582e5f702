"""Several schedulers recovering at once: each lost job is run again once, not once each."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from personvern.consent.tasks import verify_ledger_task
from tests.scheduling.processes import PERSONVERN, ROOT, shared_database

pytestmark = pytest.mark.django_db(transaction=True)

JOBS = 150
SCHEDULERS = 3
DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
        "ENQUEUE_ON_COMMIT": False,
    }
}


@pytest.fixture
def database_url(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    with shared_database(tmp_path) as url:
        yield url


def test_schedulers_recovering_at_once_retry_each_lost_job_once(database_url, settings):
    # given 150 jobs of a worker that died ten minutes ago
    settings.TASKS = DB_TASKS
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    for _ in range(JOBS):
        job = DBTaskResult.objects.get(pk=verify_ledger_task.enqueue().id)
        job.claim("dead")
    DBTaskResult.objects.update(started_at=long_ago)
    # when three scheduler processes check at the same time
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.scheduling.worker_settings",
        "PYTHONPATH": str(ROOT),
        "PERSONVERN_JOB_LEASE_SECONDS": "60",
    }
    processes = [
        subprocess.Popen(
            [str(PERSONVERN), "scheduler", "--once"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(SCHEDULERS)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), [err for _out, err in outputs]
    # then every job was set back exactly once, by one of them, with its one attempt kept
    retried = Counter(
        job for out, _err in outputs for job in re.findall(r"Job (\S+): its worker was lost", out)
    )
    assert len(retried) == JOBS and set(retried.values()) == {1}
    jobs = DBTaskResult.objects.all()
    assert {(j.status, tuple(j.worker_ids)) for j in jobs} == {(TaskResultStatus.READY, ("dead",))}
