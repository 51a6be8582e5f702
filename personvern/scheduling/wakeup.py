"""Waking a worker the moment a job is queued, without polling, on PostgreSQL.

django-tasks-db's worker looks for a job, and sleeps its ``--interval`` when there is none:
a job queued just after a look waits the whole interval. On PostgreSQL, every enqueue also
sends ``NOTIFY`` on ``CHANNEL`` (``pg_notify`` on the connection that inserted the job, so
inside a transaction it is delivered when that transaction commits, never before the job row
is visible, and not at all if it rolls back), and each worker ``LISTEN``s on a connection of
its own and waits on it instead of sleeping: it wakes at once, and at the latest after its
interval (jobs whose ``run_after`` falls due are found by that look, as before).

On SQLite (no such mechanism) the worker keeps polling. A listening connection that breaks
(a server restart) falls back to sleeping for that turn and is opened again at the next.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import connections
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

CHANNEL = "personvern_tasks"


def notify_enqueued(sender: object, *, task_result: Any, **kwargs: Any) -> None:
    """``task_enqueued`` receiver: tell listening workers (PostgreSQL only)."""
    connection = connections[DBTaskResult.objects.db]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, task_result.task.queue_name])


class Listener:
    """A worker's own autocommit connection, listening on ``CHANNEL``; ``wait`` returns when a
    job was queued or after ``timeout`` seconds. Without PostgreSQL it only sleeps."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.connection: Any = None

    @property
    def enabled(self) -> bool:
        return connections[self.alias].vendor == "postgresql"

    def start(self) -> None:
        """Listen before the worker's first look, so nothing queued after it is missed."""
        if not self.enabled or self.connection is not None:
            return
        import psycopg

        params = connections[self.alias].get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        try:
            self.connection = psycopg.connect(**params, autocommit=True)
            self.connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            logger.warning("cannot listen for new jobs (%s): polling", type(exc).__name__)
            self.close()

    def wait(self, timeout: float) -> bool:
        """Wait for a notification (True) or ``timeout`` (False). Notifications that came
        while the worker was busy return at once: they are all drained in one go."""
        self.start()
        if self.connection is None:
            time.sleep(timeout)
            return False
        import psycopg

        try:
            woken = any(True for _ in self.connection.notifies(timeout=timeout, stop_after=1))
            if woken:  # drain the others queued meanwhile: one look serves them all
                for _ in self.connection.notifies(timeout=0):
                    pass
            return woken
        except psycopg.Error as exc:
            logger.warning("listening for new jobs failed (%s): reconnecting", type(exc).__name__)
            self.close()
            time.sleep(timeout)
            return False

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None
