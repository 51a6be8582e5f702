"""Background jobs of the scheduling app itself."""

from __future__ import annotations

from django_tasks import task

from .services import prune_finished_jobs


@task()
def prune_finished_jobs_task() -> int:
    """Daily: delete the rows of jobs that succeeded more than ``JOB_RESULT_DAYS`` ago."""
    return prune_finished_jobs()
