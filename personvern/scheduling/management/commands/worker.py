"""``personvern worker``: django-tasks-db's worker with a heartbeat, so that a job whose worker
dies is run again (see ``personvern.scheduling.services.workers``).

The worker takes the same options as ``db_worker``. A thread records its heartbeat a few
times per lease and, on the same rhythm, runs again the jobs of workers that stopped beating
(the scheduler does too). A job stopped by a second Ctrl-C, or failed because the database
went away, is set back for the next worker; a job that raises anything else is left failed
and its watcher (a request's timeline) is told.

On PostgreSQL the worker does not sleep its interval between looks: it waits on a
``LISTEN`` connection and wakes the moment a job is queued (``personvern.scheduling.wakeup``).
"""

from __future__ import annotations

import logging
import os
import random
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.checks import Tags
from django.core.management.base import CommandError
from django.db import DatabaseError, OperationalError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from personvern.scheduling import config
from personvern.scheduling.registry import WARM_UPS
from personvern.scheduling.services import (
    beat,
    job_failed,
    job_interrupted,
    recover_lost_jobs,
    register_worker,
    stop_worker,
)
from personvern.scheduling.wakeup import Listener

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


def warm_up() -> None:
    """Run the apps' warm-ups (``registry.warm_up_workers_with``); one that fails is logged
    by its name and the exception's class (its text may name a host or a person) and the
    worker starts all the same: the job that needs it reports the trouble."""
    for name, prepare in WARM_UPS.items():
        try:
            prepare()
        except Exception as exc:
            logger.warning("warm-up %s failed (%s)", name, type(exc).__name__)


class HeartbeatWorker(Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current = ""
        self.listener = Listener(DBTaskResult.objects.db)

    def run(self) -> None:
        register_worker(worker_id=self.worker_id)
        recover_lost_jobs()
        warm_up()
        heartbeat = Heartbeat(worker_id=self.worker_id, running=lambda: self.current)
        heartbeat.start()
        self.listener.start()
        try:
            self.loop()
        finally:
            self.listener.close()
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            stop_worker(worker_id=self.worker_id)

    def loop(self) -> None:
        """django-tasks-db's ``Worker.run`` loop (0.13), but waiting for the next job through
        ``pause`` instead of ``time.sleep``, which its loop calls inline."""
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, self.queue_names)
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads workers started together
        while self.running:
            close_old_connections()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    retrieved = True
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as exc:
                    retrieved = False
                    if not is_locked_database_exception(exc):
                        raise
                    task_result = None
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info("No more tasks to run for worker_id=%s", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran the maximum of %d tasks", self._run_tasks)
                return
            close_old_connections()
            if self.running and task_result is None:
                self.pause()

    def pause(self) -> None:
        """Wait up to the interval for a job to be queued, in slices of at most a second so
        that a stop signal ends the worker within a second (the loop checks ``running``)."""
        deadline = time.monotonic() + self.interval
        while self.running:
            left = deadline - time.monotonic()
            if left <= 0 or self.listener.wait(min(left, 1.0)):
                return

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
    # The checks of what a worker uses; the others (URLs above all) would import every view
    # and API schema into a process that serves none, for good (~12 MiB). The web server's
    # deployment runs them all (``personvern check --deploy``).
    requires_system_checks = [Tags.models, Tags.database]

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
