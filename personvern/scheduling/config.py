"""Background-job settings, read from ``settings.PERSONVERN`` with safe defaults:

- ``JOB_LEASE_SECONDS`` (default 120): a running job whose worker has not recorded a heartbeat
  for this long is taken to be lost (its process died) and is run again. Workers beat four
  times per lease, so one late beat never costs a job its worker.
- ``JOB_MAX_ATTEMPTS`` (default 3): runs a job gets in all; a job whose worker is lost on the
  last one is marked failed, with the reason, for staff to see and run again by hand.
- ``JOB_RESULT_DAYS`` (default 7): a successful job's row is deleted this long after it
  finished (daily); failed jobs stay for staff.
"""

from __future__ import annotations

import datetime

from django.conf import settings


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, "PERSONVERN", {}).get(name, default))


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=max(_setting("JOB_LEASE_SECONDS", 120), 1.0))


def heartbeat_seconds() -> float:
    return lease().total_seconds() / 4


def max_attempts() -> int:
    return max(int(_setting("JOB_MAX_ATTEMPTS", 3)), 1)


def result_retention() -> datetime.timedelta:
    return datetime.timedelta(days=max(_setting("JOB_RESULT_DAYS", 7), 1.0))
