"""A manual source (``ManualSource``) as a data source: its part of a request is the task its
staff member closes (``services.manual``). Keyed ``manual:<key>``.

- collect: the outcome of the person's tasks in this source (what staff did or found);
- erase: the request's task's outcome once closed; while it is open, ``SourcePending`` (the
  other sources go on, the register waits, nothing is retried or reported as failing);
- rectify and restrict: the request's task (instructions naming what to correct, or asking
  to mark the records restricted) and its outcome once closed; while it is open,
  ``SourcePending``. A restriction put in place or lifted outside a restriction request's own
  part (an objection's interim restriction, a lift) is the task of that step: ``job`` names
  it (``<reference>:<step>``)."""

from __future__ import annotations

from typing import Any

from personvern.core.actors import Actor
from personvern.register.models import Person

from ..choices import ManualTaskStatus
from ..models import ManualSource, ManualTask
from .base import Collected, Corrections, DataSource, KindData, SourcePending

PREFIX = "manual:"


class ManualDataSource(DataSource):
    def __init__(self, source: ManualSource) -> None:
        self.source = source
        self.key = f"{PREFIX}{source.key}"
        self.label = source.name

    def _tasks(self, person: Person) -> list[ManualTask]:
        return list(
            ManualTask.objects.filter(source=self.source, request__subject_id=person.pk).order_by(
                "pk"
            )
        )

    def collect(self, person: Person) -> Collected:
        records = [
            {
                "request": task.request.reference,
                "outcome": task.status,
                "note": task.note,
                "closed_at": task.closed_at.isoformat() if task.closed_at else None,
            }
            for task in self._tasks(person)
            if task.status != ManualTaskStatus.OPEN
        ]
        return Collected(
            kinds={
                "manual_steps": KindData(
                    description=f"{self.source.name}: searched by hand by our staff",
                    source=self.source.name,
                    records=records,
                )
            }
        )

    def _closed_task(self, job: str) -> ManualTask:
        reference, _sep, step = job.partition(":")
        task = ManualTask.objects.filter(
            source=self.source, request__reference=reference, step=step
        ).first()
        if task is None or task.status == ManualTaskStatus.OPEN:
            raise SourcePending(self.key)
        return task

    def erase(self, person: Person, *, actor: Actor, job: str = "") -> dict[str, Any]:
        task = self._closed_task(job)
        kept = []
        if task.status == ManualTaskStatus.KEPT:
            kept.append(
                {
                    "record_type": self.key,
                    "label": self.source.name,
                    "record_id": None,
                    "reason": task.note,
                    "keep_until": None,
                }
            )
        return {"erased": {}, "kept": kept, "outcome": task.status}

    def rectify(
        self, person: Person, *, changes: Corrections, actor: Actor, job: str = ""
    ) -> dict[str, Any]:
        task = self._closed_task(job)
        not_changed = []
        if task.status == ManualTaskStatus.KEPT:
            not_changed.append({"label": self.source.name, "count": None, "reason": task.note})
        return {"rectified": {}, "not_changed": not_changed, "outcome": task.status}

    def restrict(self, person: Person, *, on: bool, actor: Actor, job: str = "") -> dict[str, Any]:
        task = self._closed_task(job)
        return {"restricted": on, "outcome": task.status}


def manual_data_sources() -> list[DataSource]:
    return [ManualDataSource(s) for s in ManualSource.objects.filter(enabled=True).order_by("key")]
