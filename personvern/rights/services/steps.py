"""A restriction put in place, or lifted, outside a request's own part: the interim
restriction while an objection is assessed (Art. 18(1)(d)), its lift when the objection is
decided, and the privacy officer's lift of a restriction request's restriction (Art. 18(3)).

Each is a *step* of the request (``TaskStep``), ordered in the transaction that decides it
(``result["restriction_steps"]`` names it with the time) and run source by source by its own
job (``across``, as the request's own part): each source's state is kept under the step's
own key (``lift:sql:accounting``), so a restriction request that is later lifted keeps both
what its restriction did and what its lift did. A failing source is retried with backoff
(``erasure.retry_due_sources``), a manual source is its staff member's task for the step.

The job (``tasks.restriction_step_task``) sits above the services: its ``enqueue`` is
handed here from ``apps.py``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils import timezone

from ..choices import RequestStatus, TaskStep
from ..models import DataSubjectRequest

ORDERED = "restriction_steps"
_JOB: dict[str, Callable[[int, str], object]] = {}


def use_step_job(enqueue: Callable[[int, str], object]) -> None:
    _JOB["enqueue"] = enqueue


def schedule(request: DataSubjectRequest, step: str) -> None:
    """Enqueue the step's job once this transaction commits (it takes the id and the step)."""
    try:
        enqueue = _JOB["enqueue"]
    except KeyError:
        raise LookupError("No restriction step job registered (rights apps.py)") from None
    transaction.on_commit(partial(enqueue, request.pk, step))


def state_key(source_key: str, step: str) -> str:
    """Where a source's state for ``step`` is kept in ``source_states``; the request's own
    part keeps the bare source key."""
    return f"{step}:{source_key}" if step else source_key


def step_of(key: str) -> str:
    """The step a ``source_states`` key belongs to ("" for the request's own part)."""
    head, _sep, _rest = key.partition(":")
    return head if head in (TaskStep.RESTRICT, TaskStep.LIFT) else ""


def order(request: DataSubjectRequest, step: str) -> None:
    """Note that ``step`` is ordered (the caller holds the request's lock and saves)."""
    ordered = dict(request.result.get(ORDERED, {}))
    ordered.setdefault(step, timezone.now().isoformat())
    request.result = {**request.result, ORDERED: ordered}


def active(request: DataSubjectRequest, step: str) -> bool:
    """Whether the step's job still has work: the request's own part while the request is
    in progress; an interim restriction until its lift is ordered; a lift once ordered."""
    if request.person_id is None:
        return False
    if not step:
        return request.status == RequestStatus.IN_PROGRESS
    ordered = request.result.get(ORDERED, {})
    if step == TaskStep.RESTRICT:
        return TaskStep.RESTRICT in ordered and TaskStep.LIFT not in ordered
    return step in ordered
