"""The fulfilment job's troubles on the request's timeline: when its worker was lost and the
job is run again, or when it failed, staff see it on the request, with the reason (a code and
an exception's class, never its message). Called by the scheduling app through its watcher
registry (registered in ``apps.py``), in the transaction that retried or failed the job."""

from __future__ import annotations

from personvern.core.actors import Actor
from personvern.scheduling.choices import JobTroubleKind
from personvern.scheduling.registry import JobTrouble

from ..choices import EventKind
from ..models import DataSubjectRequest
from ..selectors import FULFILMENT_TASK
from .events import log

__all__ = ["FULFILMENT_TASK", "record_job_trouble"]
JOBS_ACTOR = Actor.for_system("background-jobs")


def record_job_trouble(trouble: JobTrouble, *, actor: Actor = JOBS_ACTOR) -> None:
    """Note a retried or failed fulfilment job on its request, while the request is open."""
    request_id = trouble.args[0] if trouble.args else trouble.kwargs.get("request_id")
    request = (
        DataSubjectRequest.objects.select_for_update().filter(pk=request_id).first()
        if isinstance(request_id, int)
        else None
    )
    if request is None or not request.is_open:
        return
    detail: dict[str, object] = {
        "reason": trouble.reason.value,
        "attempt": trouble.attempt,
        "max_attempts": trouble.max_attempts,
        "job": trouble.task_result_id,
    }
    if trouble.error:
        detail["error"] = trouble.error
    kind = (
        EventKind.JOB_RETRIED if trouble.kind == JobTroubleKind.RETRYING else EventKind.JOB_FAILED
    )
    log(request=request, kind=kind, actor=actor, detail=detail)
