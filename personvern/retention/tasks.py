"""The daily retention sweep as a background task. It takes no arguments (no personal data
crosses the queue) and is safe to run twice: a second run finds nothing left to do."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from personvern.core.actors import Actor

from .services import SWEEP_ACTOR, sweep


@task()
def run_retention_sweep() -> dict[str, Any]:
    report = sweep(actor=Actor.for_system(SWEEP_ACTOR))
    return {"run": report.run_id, "total": report.total, "status": report.status}
