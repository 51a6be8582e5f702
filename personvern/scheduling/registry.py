"""Jobs declared in code. Apps declare theirs in ``AppConfig.ready``; the scheduler stores any
missing one when it starts (an operator's change to a stored job, such as disabling it, stays)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


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
