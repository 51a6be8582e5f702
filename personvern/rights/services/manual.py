"""Manual data sources: systems no program reaches (a paper archive, a shared mailbox).

Every request that reaches the data sources creates one task per manual source in use, for
its named staff member, with the instructions and a due date before the request's deadline
(``lead_days`` before it, never before today). The staff member closes it as done, nothing
found, or kept with a reason. The request is not answered as complete while a task is open
(``common.complete`` refuses); an erasure goes on with the automatic sources meanwhile, but
the register, which holds the identity, waits. Closing the last task runs the request's job
again. Open tasks due within two days, or overdue, are reminded once a day.

A restriction put in place or lifted outside the request's own part (an objection's interim
restriction, its lift, the privacy officer's lift: ``steps``) gives each manual source a
task of its own for that step; closing it runs the step's job again.

The staff member's e-mail names the task, the system, the request's reference, the due date
and the link to the task in the staff admin, never personal data: what to do, and for a
rectification the corrected values, are shown on the task's page (signed in), the values
read from the request while they are kept there (``rectification``)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.config import portal_url
from personvern.core.errors import DomainError

from .. import letters
from ..choices import EventKind, ManualTaskStatus, RequestType, RightsErrorCode, TaskStep
from ..models import DataSubjectRequest, ManualSource, ManualTask
from . import steps
from .common import lock, require_perm
from .events import log
from .intake import schedule_fulfilment

logger = logging.getLogger(__name__)
REMIND_DAYS = 2
TASK_ACTOR = Actor.for_system("manual-tasks")
CLOSED = (ManualTaskStatus.DONE, ManualTaskStatus.NOTHING_FOUND, ManualTaskStatus.KEPT)


def manual_sources() -> QuerySet[ManualSource]:
    return ManualSource.objects.filter(enabled=True).order_by("key")


def open_tasks(request: DataSubjectRequest, step: str = TaskStep.REQUEST) -> QuerySet[ManualTask]:
    """The request's open tasks for ``step`` (by default its own part)."""
    return request.manual_tasks.filter(status=ManualTaskStatus.OPEN, step=step)


def due_on(
    request: DataSubjectRequest, source: ManualSource, today: datetime.date
) -> datetime.date:
    """``lead_days`` before the request's deadline; today if that has passed."""
    wanted = request.deadline - datetime.timedelta(days=source.lead_days)
    return max(wanted, today)


def task_url(task: ManualTask) -> str:
    return portal_url() + reverse("admin:rights_manualtask_change", args=[task.pk])


def _notify(task_id: int) -> None:
    """Tell the staff member of the new task (after commit). A refused mail is logged
    without addresses; the morning reminder names the task again."""
    task = ManualTask.objects.select_related("assignee", "request", "source").get(pk=task_id)
    if not task.assignee.email:
        return
    try:
        letters.send_staff([task.assignee.email], "manual_task", _context([task]))
    except DomainError:
        logger.warning("manual task %s: the staff member could not be told", task_id)


def _context(tasks: list[ManualTask], today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "today": today,
        "rows": [
            {
                "reference": t.request.reference,
                "type": t.get_step_display() if t.step else t.request.get_request_type_display(),
                "source": t.source.name,
                "due_on": t.due_on,
                "days_left": (t.due_on - today).days,
                "url": task_url(t),
            }
            for t in tasks
        ],
    }


STEP_INSTRUCTIONS = {
    TaskStep.RESTRICT: _(
        "Restriction of processing (GDPR Art. 18(1)(d)) while the privacy officer assesses "
        "the person's objection: mark or lock the person's records here so that they are only "
        "stored: not used, disclosed or changed."
    ),
    TaskStep.LIFT: _(
        "The restriction of processing (GDPR Art. 18) is lifted: remove the mark or lock from "
        "the person's records here, so that they are processed as before."
    ),
}


def default_instructions(
    request: DataSubjectRequest, source: ManualSource, step: str = TaskStep.REQUEST
) -> str:
    """The source's instructions; for a restriction or its lift, first what it asks."""
    if step:
        return "\n\n".join([str(STEP_INSTRUCTIONS[TaskStep(step)]), source.instructions])
    if request.request_type == RequestType.RESTRICTION:
        return "\n\n".join(
            [
                gettext(
                    "Restriction of processing (GDPR Art. 18): mark or lock the person's "
                    "records here so that they are only stored: not used, disclosed or changed."
                ),
                source.instructions,
            ]
        )
    return source.instructions


def ensure_tasks(
    request: DataSubjectRequest,
    *,
    actor: Actor,
    instructions: Callable[[ManualSource], str] | None = None,
    step: str = TaskStep.REQUEST,
) -> list[ManualTask]:
    """Create the request's task for ``step`` (by default its own part) in every manual
    source in use that has none yet, with ``instructions`` (by default the source's own, see
    ``default_instructions``). The caller holds the request's lock. Returns the tasks
    created."""
    today = timezone.localdate()
    have = set(request.manual_tasks.filter(step=step).values_list("source_id", flat=True))
    created = []
    for source in manual_sources().exclude(pk__in=have):
        task = ManualTask.objects.create(
            request=request,
            source=source,
            step=step,
            assignee_id=source.assignee_id,
            instructions=instructions(source)
            if instructions is not None
            else default_instructions(request, source, step),
            due_on=due_on(request, source, today),
        )
        detail = {"source": source.key, "task": task.pk, "due_on": task.due_on.isoformat()}
        if step:
            detail["step"] = step
        log(request=request, kind=EventKind.TASK_CREATED, actor=actor, detail=detail)
        transaction.on_commit(partial(_notify, task.pk))
        created.append(task)
    return created


@transaction.atomic
def close_task(*, actor: Actor, task: ManualTask, outcome: str, note: str = "") -> ManualTask:
    """The staff member reports what they did. ``kept`` needs the reason in ``note``."""
    task = ManualTask.objects.select_for_update().select_related("source").get(pk=task.pk)
    if actor.user is None or actor.user.pk != task.assignee_id:
        require_perm(actor, "rights.change_datasubjectrequest")
    if task.status != ManualTaskStatus.OPEN:
        raise DomainError(
            code=RightsErrorCode.TASK_CLOSED,
            status=409,
            message=_("This task is already closed."),
        )
    if outcome not in CLOSED:
        raise DomainError(
            code=RightsErrorCode.TASK_OUTCOME_INVALID,
            message=_("Choose done, nothing found, or kept."),
            field="status",
        )
    note = (note or "").strip()
    if outcome == ManualTaskStatus.KEPT and not note:
        raise DomainError(
            code=RightsErrorCode.TASK_NOTE_REQUIRED,
            message=_("Give the reason the data is kept."),
            field="note",
        )
    request = lock(task.request_id)
    task.status = outcome
    task.note = note
    task.closed_at = timezone.now()
    task.closed_by = actor.label
    task.save(update_fields=["status", "note", "closed_at", "closed_by"])
    log(
        request=request,
        kind=EventKind.TASK_CLOSED,
        actor=actor,
        detail={"source": task.source.key, "task": task.pk, "outcome": outcome},
        fields=("status", "note"),
    )
    if task.step:
        steps.schedule(request, task.step)  # the step goes on where it waited
    elif request.is_open and not open_tasks(request).exists():
        schedule_fulfilment(request)  # the request goes on where it waited
    return task


@transaction.atomic
def send_task_reminders(*, today: datetime.date | None = None) -> int:
    """Once a day: each staff member with open tasks due within two days, or overdue, gets
    one mail listing them. Marked as reminded only once the mail has gone."""
    today = today or timezone.localdate()
    due = list(
        ManualTask.objects.select_for_update(of=("self",))
        .filter(status=ManualTaskStatus.OPEN, due_on__lte=today + datetime.timedelta(REMIND_DAYS))
        .exclude(last_reminded_on=today)
        .select_related("assignee", "request", "source")
        .order_by("assignee_id", "due_on", "pk")
    )
    by_assignee: dict[int, list[ManualTask]] = {}
    for task in due:
        if task.assignee.email:
            by_assignee.setdefault(task.assignee_id, []).append(task)
    reminded = 0
    for tasks in by_assignee.values():
        try:
            letters.send_staff(
                [tasks[0].assignee.email], "manual_task_reminder", _context(tasks, today)
            )
        except DomainError:
            continue  # logged without addresses; tomorrow's run tries again
        for task in tasks:
            task.last_reminded_on = today
            task.save(update_fields=["last_reminded_on"])
            log(
                request=task.request,
                kind=EventKind.TASK_REMINDED,
                actor=TASK_ACTOR,
                detail={
                    "source": task.source.key,
                    "task": task.pk,
                    "days_left": (task.due_on - today).days,
                },
            )
            reminded += 1
    return reminded


MANUAL_SOURCE_FIELDS = ("key", "name", "instructions", "assignee", "lead_days", "enabled")


@transaction.atomic
def save_manual_source(
    *, actor: Actor, values: dict[str, Any], source: ManualSource | None = None
) -> ManualSource:
    """Add a manual source or change one (the staff admin's form)."""
    require_perm(actor, "rights.change_manualsource")
    unknown = set(values) - set(MANUAL_SOURCE_FIELDS)
    if unknown:
        raise DomainError(
            code=RightsErrorCode.UNKNOWN_FIELD,
            message=_("Unknown field."),
            field=sorted(unknown)[0],
        )
    created = source is None
    source = source or ManualSource()
    for name, value in values.items():
        setattr(source, name, value)
    source.full_clean()
    source.save()
    record(
        actor=actor,
        event=AuditEventType.MANUAL_SOURCE_SAVED,
        obj=source,
        fields=sorted(values),
        detail={"key": source.key, "created": created},
    )
    return source
