"""``personvern scheduler``: enqueue periodic jobs when they fall due, and run again the jobs
whose worker was lost (run next to the worker; any number may run against PostgreSQL).
``--once`` checks once and exits."""

from __future__ import annotations

import signal
import time
import uuid
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from personvern.scheduling import config
from personvern.scheduling.services import (
    claim_due_jobs,
    recover_lost_jobs,
    scheduler_beat,
    stop_scheduler,
    sync_jobs,
)


class Command(BaseCommand):
    help = (
        "Enqueue periodic background jobs (such as the daily retention sweep) when due, and "
        "run again jobs whose worker was lost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (default 30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._stopping = False
        scheduler_id = uuid.uuid4().hex
        scheduler_beat(scheduler_id=scheduler_id)
        try:
            self._loop(scheduler_id, once=options["once"], interval=options["interval"])
        finally:
            stop_scheduler(scheduler_id=scheduler_id)

    def _loop(self, scheduler_id: str, *, once: bool, interval: float) -> None:
        """Check, then wait, beating its heart a few times a lease even when the interval
        between checks is longer (/healthz reads the heartbeat)."""
        added = sync_jobs()
        if added:
            self.stdout.write(f"Stored {added} new periodic job(s).")
        if not once:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            for name in claim_due_jobs():
                self.stdout.write(f"Enqueued {name}.")
            recovered = recover_lost_jobs()
            for job in recovered.retried:
                self.stdout.write(f"Job {job}: its worker was lost; run again.")
            for job in recovered.failed:
                self.stdout.write(f"Job {job}: its worker was lost on the last attempt; failed.")
            if once or self._stopping:
                return
            scheduler_beat(scheduler_id=scheduler_id)
            deadline = time.monotonic() + interval
            next_beat = time.monotonic() + config.heartbeat_seconds()
            while time.monotonic() < deadline and not self._stopping:
                time.sleep(0.5)
                if time.monotonic() >= next_beat:
                    scheduler_beat(scheduler_id=scheduler_id)
                    next_beat = time.monotonic() + config.heartbeat_seconds()
            if self._stopping:
                return

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
