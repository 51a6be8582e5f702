"""Every change the scheduling app makes: periodic jobs falling due, and workers' heartbeats
with the recovery of jobs whose worker was lost. Import from here."""

from .periodic import claim_due_jobs, next_run, sync_jobs
from .results import prune_finished_jobs
from .schedulers import scheduler_beat, stop_scheduler
from .workers import (
    WORKER_LOST_ERROR,
    RecoveryReport,
    beat,
    job_failed,
    job_interrupted,
    recover_lost_jobs,
    register_worker,
    stop_worker,
)

__all__ = [
    "WORKER_LOST_ERROR",
    "RecoveryReport",
    "beat",
    "claim_due_jobs",
    "job_failed",
    "job_interrupted",
    "next_run",
    "prune_finished_jobs",
    "recover_lost_jobs",
    "register_worker",
    "scheduler_beat",
    "stop_scheduler",
    "stop_worker",
    "sync_jobs",
]
