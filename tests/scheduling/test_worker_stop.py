"""A worker told to stop (SIGTERM, as a process supervisor does) signs off cleanly, whatever
it was doing when the signal came: waiting, or claiming the next job inside a transaction."""

from __future__ import annotations

import signal
import time

import pytest

from personvern.scheduling.models import WorkerHeartbeat
from tests.scheduling.processes import shared_database, start_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_stopped_with_sigterm_signs_off_cleanly(tmp_path):
    with shared_database(tmp_path) as database_url:
        for n in range(6):
            # given a worker polling for jobs without pause (so mostly inside its claim
            # transaction)
            worker_id = f"worker-stop-{n}"
            worker = start_worker(database_url, worker_id, interval=0)
            wait_for(lambda wid=worker_id: WorkerHeartbeat.objects.filter(worker_id=wid).exists(),
                     timeout=30, what="the worker's start")  # fmt: skip
            time.sleep(0.2 + n * 0.07)
            # when it is told to stop
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=30)
            # then it exits 0 without a traceback, and its heartbeat row says it stopped
            assert worker.returncode == 0, output[-3000:]
            assert "Traceback" not in output
            assert WorkerHeartbeat.objects.get(worker_id=worker_id).stopped_at is not None
