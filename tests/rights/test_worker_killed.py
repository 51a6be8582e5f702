"""A worker killed with SIGKILL in the middle of an erasure: another worker finishes it.

Real processes: ``personvern worker`` is started on the test's database, killed while its
transaction on the register is open, and a second worker (with a short lease) runs the job
again once the first one's heartbeat has stopped. The request ends done, with nothing of the
person left and nothing done twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from personvern.audit.models import AuditEntry
from personvern.consent.models import ConsentEvent, SuppressionEntry
from personvern.consent.verification import verify
from personvern.register.models import Interaction, Person
from personvern.retention.choices import StatisticMetric
from personvern.retention.models import StatisticCell
from personvern.rights import services
from personvern.rights.choices import EventKind, RequestStatus, RequestType, SourceStatus
from personvern.rights.models import DataSubjectRequest
from personvern.rights.selectors import FULFILMENT_TASK
from personvern.scheduling.models import WorkerHeartbeat
from tests.rights.conftest import Mailbox
from tests.scheduling.processes import shared_database, start_worker, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

INTERACTIONS = 20_000
LEASE_SECONDS = "2"
# CPU time of the worker's main thread after the job's start committed by which it is inside
# the erasure's transaction (which takes about 250 ms of CPU for 20,000 interactions; the
# steps before it a few).
ERASURE_CPU_NS = 40_000_000
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


def test_a_worker_killed_mid_erasure_is_replaced_and_the_request_finishes_once(
    database_url, settings, smtp: Mailbox, kari, ola, officer_actor
):
    # given a person with 20,000 interactions and a consent, and someone else
    Interaction.objects.bulk_create(
        [Interaction(person=kari, channel="email", summary="Spurte om årsoppgjøret.")]
        * INTERACTIONS,
        batch_size=2000,
    )
    ledger_before = ConsentEvent.objects.count()
    settings.TASKS = DB_TASKS
    env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "PERSONVERN_PORTAL_URL": "http://testserver",
        "PERSONVERN_JOB_LEASE_SECONDS": LEASE_SECONDS,
    }
    # and an erasure request taken by phone and verified by staff: its job is queued
    request = services.submit_request(
        actor=officer_actor,
        request_type=RequestType.ERASURE,
        email="kari@example.com",
        channel="phone",
        verification_note="Called back on the number we hold.",
    )
    job = DBTaskResult.objects.get(task_path=FULFILMENT_TASK)

    # when a worker takes the job and is killed with SIGKILL inside the register's erasure
    with _RegisterErasureCaught(database_url, kari, request.pk) as caught:
        first = start_worker(database_url, "worker-1", env=env)
        try:
            caught(first)
        finally:
            first.kill()
            first.wait(timeout=10)

    # then nothing of the erasure was kept, and the job is left running with no live worker
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (TaskResultStatus.RUNNING, ["worker-1"])
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert "register" not in request.source_states
    assert Interaction.objects.filter(person=kari).count() == INTERACTIONS
    assert not SuppressionEntry.objects.exists()
    assert not any("slettet" in s for s in smtp.subjects("kari@example.com"))

    # when another worker starts
    second = start_worker(database_url, "worker-2", env=env)
    try:
        wait_for(
            lambda: _committed_status(request.pk) == RequestStatus.DONE,
            timeout=60,
            what="the erasure",
        )
        wait_for(lambda: smtp.subjects("kari@example.com"), timeout=10, what="the reply")
    finally:
        output = stop(second)
    assert second.returncode == 0, output

    # then it ran the job again once the first worker's lease expired, and the job succeeded
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (
        TaskResultStatus.SUCCESSFUL,
        ["worker-1", "worker-2"],
    )
    assert WorkerHeartbeat.objects.get(worker_id="worker-2").stopped_at is not None
    # nothing of the person is left, the other person is untouched
    assert not Person.objects.filter(pk=kari.pk).exists()
    assert not Interaction.objects.filter(person_id=kari.pk).exists()
    assert Person.objects.filter(pk=ola.pk).exists()
    # and nothing was done twice: one register erasure, one reply, one audit entry, the
    # interactions counted once in the statistics, the ledger unchanged and intact
    events = list(request.events.values_list("kind", flat=True))
    assert events.count(EventKind.SOURCE_DONE) == 1
    assert events.count(EventKind.DONE) == 1
    assert events.count(EventKind.JOB_RETRIED) == 1
    retried = request.events.get(kind=EventKind.JOB_RETRIED)
    assert retried.detail["reason"] == "worker_lost" and retried.detail["attempt"] == 1
    letters = request.events.filter(kind=EventKind.LETTER, detail__letter="erased")
    assert letters.count() == 1
    replies = [s for s in smtp.subjects("kari@example.com") if "slettet" in s]
    assert replies == [f"Opplysningene dine er delvis slettet ({request.reference})"]  # ledger kept
    erasures = AuditEntry.objects.filter(
        object_type="register.person", object_id=str(kari.pk), detail__erasure=True
    )
    assert erasures.count() == 1
    interactions = StatisticCell.objects.filter(metric=StatisticMetric.INTERACTIONS_BY_CHANNEL)
    assert sum(interactions.values_list("count", flat=True)) == INTERACTIONS
    assert SuppressionEntry.objects.count() == 2  # e-mail and phone, once each
    assert ConsentEvent.objects.count() == ledger_before
    assert verify().ok
    request.refresh_from_db()
    assert request.source_states["register"]["status"] == SourceStatus.DONE


class _RegisterErasureCaught:
    """Catches the worker inside the register's erasure transaction and SIGKILLs it there.

    On PostgreSQL the test holds a row lock on one of the person's interactions, so the
    worker's erasure waits on it in the middle of its transaction (after the suppression list
    and the statistics); the test sees the wait, kills the worker, and lets go.

    SQLite has no row locks, and its worker runs the database in its own process: once the
    job's start has committed, the test waits until the worker's main thread has spent more
    CPU time than anything but the erasure of 20,000 rows takes (CPU time, unlike wall time,
    does not stretch on a busy machine), freezes it (SIGSTOP), checks that it is inside a
    write transaction with the register not yet recorded done, and kills it."""

    def __init__(self, database_url: str, person: Person, request_id: int) -> None:
        self.database_url = database_url
        self.person = person
        self.request_id = request_id
        self.blocker: psycopg.Connection[tuple[object, ...]] | None = None

    def __enter__(self) -> Callable[[subprocess.Popen[str]], None]:
        if connection.vendor == "postgresql":
            self.blocker = psycopg.connect(
                self.database_url.replace("postgres://", "postgresql://")
            )
            one = Interaction.objects.filter(person=self.person).values_list("pk", flat=True)[0]
            self.blocker.execute(
                "SELECT id FROM register_interaction WHERE id = %s FOR UPDATE", [one]
            )
            return self._catch_postgresql
        return self._catch_sqlite

    def __exit__(self, *exc: object) -> None:
        if self.blocker is not None:
            self.blocker.rollback()
            self.blocker.close()

    def _catch_postgresql(self, worker: subprocess.Popen[str]) -> None:
        assert self.blocker is not None
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM \"register_interaction\"%%'"
        )

        def waiting() -> bool:
            with psycopg.connect(
                self.database_url.replace("postgres://", "postgresql://"), autocommit=True
            ) as probe:
                row = probe.execute(query).fetchone()
            return bool(row and row[0])

        _wait_alive(worker, waiting, what="the worker's erasure to reach the interactions")
        os.kill(worker.pid, signal.SIGKILL)

    def _catch_sqlite(self, worker: subprocess.Popen[str]) -> None:
        path = Path(self.database_url.removeprefix("sqlite:///"))
        started: list[int] = []  # the worker's CPU time when the job's start had committed

        def into_the_erasure() -> bool:
            if not started:
                if _committed_status(self.request_id) == RequestStatus.IN_PROGRESS:
                    started.append(_cpu_ns(worker.pid))
                return False
            return _cpu_ns(worker.pid) - started[0] >= ERASURE_CPU_NS and _write_locked(path)

        _wait_alive(worker, into_the_erasure, what="the worker's erasure transaction")
        os.kill(worker.pid, signal.SIGSTOP)
        # Frozen: still inside a write transaction, and the register not yet recorded done.
        assert _write_locked(path), "the worker's transaction ended before it was frozen"
        states = DataSubjectRequest.objects.values_list("source_states", flat=True).get(
            pk=self.request_id
        )
        assert "register" not in states, "the erasure committed before the worker was frozen"
        os.kill(worker.pid, signal.SIGKILL)


def _write_locked(path: Path) -> bool:
    """Another connection holds SQLite's write lock (its write transaction is open)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def _committed_status(request_id: int) -> str:
    return str(DataSubjectRequest.objects.values_list("status", flat=True).get(pk=request_id))


def _cpu_ns(pid: int) -> int:
    """CPU time of the process's main thread so far (Linux: the first field of schedstat)."""
    return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0])


def _wait_alive(worker: subprocess.Popen[str], condition: Callable[[], bool], *, what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited: {worker.communicate()[0]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)
