"""Background jobs (django-tasks). They take ids only — no personal data crosses the queue —
and are safe to run twice: the services they call do only what is left."""

from __future__ import annotations

from django_tasks import task

from .services import clean_up, fulfil, manual, outbox, retry_due_sources, send_due_reminders
from .services.measures import run_step


@task()
def fulfil_request_task(request_id: int) -> str:
    return fulfil(request_id=request_id)


@task()
def restriction_step_task(request_id: int, step: str) -> None:
    """An objection's interim restriction, or a lift, in every data source not done yet
    (``services.steps``); enqueued when it is ordered, when a task of it is closed, and
    when a failing source's backoff is over."""
    run_step(request_id, step)


@task()
def send_due_reminders_task() -> int:
    """Daily (registered with the scheduler in ``apps.py``)."""
    return send_due_reminders()


@task()
def clean_up_task() -> dict[str, int]:
    """Daily: lapse unverified requests, delete expired packages and links (counts only)."""
    return clean_up()


@task()
def send_pending_letters_task() -> int:
    """Every minute: letters whose process died before sending them, or that the mail server
    refused, go now (``services.outbox``)."""
    return outbox.send_pending()


@task()
def retry_due_sources_task() -> int:
    """Every minute: requests (or their restriction steps) whose failing data source has
    waited out its backoff, and access or portability packages near their deadline or with
    a supplement due."""
    return retry_due_sources()


@task()
def send_task_reminders_task() -> int:
    """Daily: staff with manual tasks due within two days, or overdue."""
    return manual.send_task_reminders()
