"""``personvern worker``: django-tasks-db's worker with a heartbeat, so that a job whose worker
dies is run again (see ``personvern.scheduling.services.workers``).

The worker takes the same options as ``db_worker``. A thread records its heartbeat a few
times per lease and, on the same rhythm, runs again the jobs of workers that stopped beating
(the scheduler does too). A job stopped by a second Ctrl-C, or failed because the database
went away, is set back for the next worker; a job that raises anything else is left failed
and its watcher (a request's timeline) is told."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from personvern.scheduling import config
from personvern.scheduling.services import (
    beat,
    job_failed,
    job_interrupted,
    recover_lost_jobs,
    register_worker,
    stop_worker,
)

logger = logging.getLogger("personvern.scheduling.worker")


class Heartbeat(threading.Thread):
    """Beats for the worker, whatever its main thread is doing (a long job included), and
    recovers lost jobs. Its own database connection: Django's are per thread."""

    def __init__(self, *, worker_id: str, running: Callable[[], str]) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.running = running
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(config.heartbeat_seconds()):
                self.tick()
        finally:
            connections.close_all()

    def tick(self) -> None:
        try:
            close_old_connections()
            beat(worker_id=self.worker_id, task_result_id=self.running())
            report = recover_lost_jobs()
        except DatabaseError as exc:  # SQLite busy with a long job, a restarting server
            logger.warning("heartbeat of worker %s missed: %s", self.worker_id, type(exc).__name__)
            return
        for job in report.retried:
            logger.warning("job %s: its worker was lost; run again", job)
        for job in report.failed:
            logger.error("job %s: its worker was lost on the last attempt; failed", job)


class HeartbeatWorker(Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current = ""

    def run(self) -> None:
        register_worker(worker_id=self.worker_id)
        recover_lost_jobs()
        heartbeat = Heartbeat(worker_id=self.worker_id, running=lambda: self.current)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            stop_worker(worker_id=self.worker_id)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """The first SIGTERM or Ctrl-C ends the loop at its next turn (after the job, or the
        pause, in hand). django-tasks-db's own handler exits at once when no job runs, which
        can be inside its claim transaction: the connection was left mid-transaction and the
        worker died with a traceback instead of signing off. A second signal still stops the
        job in hand (it is then run again, see ``job_interrupted``)."""
        if not self.running:
            super().shutdown(signum, frame)
            return
        logger.warning("Received %s: stopping after the current step", signal.strsignal(signum))
        self.running = False

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        self.current = str(db_task_result.pk)
        try:
            super().run_task(db_task_result)
        finally:
            self.current = ""
        if db_task_result.status != TaskResultStatus.FAILED:
            return
        try:
            if job_interrupted(task_result_id=str(db_task_result.pk)) is None:
                job_failed(task_result_id=str(db_task_result.pk))
        except DatabaseError as exc:  # the job stays failed, as recorded
            logger.error(
                "job %s: its failure not handled: %s", db_task_result.pk, type(exc).__name__
            )


class Command(DbWorkerCommand):
    help = "Run the background worker (django-tasks database backend) with a heartbeat."

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
