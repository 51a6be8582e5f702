"""Finished jobs' rows do not pile up: the letters job alone runs every minute (1,440 rows a
day). A successful job's row is deleted once ``JOB_RESULT_DAYS`` have passed since it
finished; a failed one stays, since staff see it on the request it belongs to and may run it
again."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .. import config


def prune_finished_jobs(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows of jobs that succeeded before the retention; returns how many."""
    cutoff = (now or timezone.now()) - config.result_retention()
    deleted, _by_model = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff
    ).delete()
    return deleted
