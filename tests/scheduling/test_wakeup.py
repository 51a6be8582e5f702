"""On PostgreSQL a worker waiting between looks wakes the moment a job is queued (LISTEN/NOTIFY),
however long its polling interval: real worker processes on the test's database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from personvern.consent.tasks import verify_ledger_task
from personvern.scheduling.models import WorkerHeartbeat
from personvern.scheduling.wakeup import CHANNEL
from tests.scheduling.processes import shared_database, start_worker, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
        "ENQUEUE_ON_COMMIT": False,
    }
}
INTERVAL = 120.0  # seconds between looks: far longer than the test waits


@pytest.fixture
def database_url(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; on SQLite the worker polls (tested elsewhere)")
    with shared_database(tmp_path) as url:
        yield url


def listening() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND query = %s",
            [f"LISTEN {CHANNEL}"],
        )
        return bool(cursor.fetchone()[0])


def finished(job_id: str) -> bool:
    return DBTaskResult.objects.filter(pk=job_id, status=TaskResultStatus.SUCCESSFUL).exists()


def test_a_waiting_worker_takes_a_new_job_at_once(database_url, settings):
    settings.TASKS = DB_TASKS
    # given a worker polling every two minutes, started, listening and past its first look
    worker = start_worker(database_url, "wakeup-1", interval=INTERVAL)
    try:
        wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id="wakeup-1").exists(),
                 timeout=30, what="the worker's start")  # fmt: skip
        wait_for(listening, timeout=30, what="the worker to listen")
        time.sleep(1.0)
        for _ in range(3):
            # when a job is queued (in a transaction, as services do: NOTIFY goes on commit)
            queued = time.monotonic()
            with transaction.atomic():
                job_id = str(verify_ledger_task.enqueue().id)
            # then the worker runs it within a few seconds, not after its interval
            wait_for(lambda jid=job_id: finished(jid), timeout=10, what="the job to be run")
            assert time.monotonic() - queued < 10
    finally:
        output = stop(worker)
    assert worker.returncode == 0, output[-3000:]
    assert "Traceback" not in output


def test_a_job_rolled_back_wakes_no_one_and_is_never_run(database_url, settings):
    settings.TASKS = DB_TASKS
    # given a listening worker
    worker = start_worker(database_url, "wakeup-2", interval=INTERVAL)
    try:
        wait_for(listening, timeout=30, what="the worker to listen")
        # when a job is queued in a transaction that is rolled back, then another committed
        with pytest.raises(RuntimeError), transaction.atomic():
            verify_ledger_task.enqueue()
            raise RuntimeError("rolled back")
        job_id = str(verify_ledger_task.enqueue().id)
        # then only the committed job exists, and it is run at once
        wait_for(lambda: finished(job_id), timeout=10, what="the committed job to be run")
        assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [
            DBTaskResult.objects.get(pk=job_id).pk
        ]
    finally:
        stop(worker)
