"""Jobs declared in code. Apps declare theirs in ``AppConfig.ready``; the scheduler stores any
missing one when it starts (an operator's change to a stored job, such as disabling it, stays).

An app may also watch its own tasks: when such a job is run again after its worker was lost,
or fails, the watcher is called (in the same transaction) so that the app can show it where
staff look, such as a request's timeline. And an app may give a warm-up, run when a worker
starts, so that the worker's first job is as quick as the next. The app registers here, below
it; the scheduling app never imports the apps above it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .choices import JobTroubleKind, JobTroubleReason


@dataclass(frozen=True)
class JobSpec:
    name: str
    task_path: str
    interval: datetime.timedelta | None = None
    daily_at: datetime.time | None = None

    def __post_init__(self) -> None:
        if (self.interval is None) == (self.daily_at is None):
            raise ValueError("A job runs either at an interval or daily at a time.")


JOBS: dict[str, JobSpec] = {}


def register(spec: JobSpec) -> None:
    JOBS[spec.name] = spec


@dataclass(frozen=True)
class JobTrouble:
    """A job that is being run again or has failed. ``error`` is the exception's class path,
    never its message (which may hold personal data)."""

    task_result_id: str
    task_path: str
    kind: JobTroubleKind
    reason: JobTroubleReason
    attempt: int
    max_attempts: int
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    error: str = ""


JobWatcher = Callable[[JobTrouble], None]

WATCHERS: dict[str, JobWatcher] = {}


def watch(task_path: str, watcher: JobWatcher) -> None:
    """Call ``watcher`` when a job of the task at ``task_path`` is retried or fails."""
    WATCHERS[task_path] = watcher


WARM_UPS: dict[str, Callable[[], None]] = {}


def warm_up_workers_with(name: str, prepare: Callable[[], None]) -> None:
    """Call ``prepare`` when a worker starts, before its first job (compile templates, open
    connections): a failure is logged and the worker starts anyway."""
    WARM_UPS[name] = prepare
