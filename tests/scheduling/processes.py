"""Real worker processes for tests: a database they can share with the test, and a way to
start ``personvern worker`` against it.

PostgreSQL is shared as it is. SQLite's test database lives in memory, where no other process
can see it: ``shared_database`` copies it (schema and all) into a file, points the test's own
connection at the file for the test, and afterwards back at the untouched in-memory database.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PERSONVERN = Path(sys.executable).parent / "personvern"


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL other processes can open, holding what the test writes (in a test with
    ``transactional_db``: other processes see only what is committed)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        yield (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}"
            f"/{settings['NAME']}"
        )
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    target = sqlite3.connect(path)
    memory.backup(target)
    target.execute("PRAGMA journal_mode=WAL")  # readers (the test) never wait for the worker
    target.close()
    original = settings["NAME"]
    # Detach without closing: closing the last connection would drop the in-memory database.
    connection.connection = None
    settings["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings["NAME"] = original
        connection.connection = memory


def start_worker(
    database_url: str, worker_id: str, *, env: dict[str, str] | None = None, interval: float = 0.2
) -> subprocess.Popen[str]:
    """``personvern worker`` as operators run it, on the test's database and settings."""
    return subprocess.Popen(
        [
            str(PERSONVERN),
            "worker",
            "--interval",
            str(interval),
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            worker_id,
        ],
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "tests.scheduling.worker_settings",
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        },
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> str:
    """Stop a worker cleanly (if it still runs) and return what it printed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
