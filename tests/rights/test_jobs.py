"""Staff see a request whose fulfilment job is being run again or failed, with the reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.rights import services
from personvern.rights.choices import EventKind, RequestType
from personvern.rights.models import DataSubjectRequest
from personvern.rights.selectors import FULFILMENT_TASK
from personvern.scheduling.management.commands.worker import HeartbeatWorker
from personvern.scheduling.services import recover_lost_jobs

pytestmark = pytest.mark.django_db

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
        "ENQUEUE_ON_COMMIT": False,
    }
}
LIST = "/admin/rights/datasubjectrequest/"


@pytest.fixture
def queued(settings: Any, kari, officer_actor, django_capture_on_commit_callbacks):
    """An erasure request verified by staff, its fulfilment job queued in the database."""
    settings.TASKS = DB_TASKS
    settings.PERSONVERN = {**settings.PERSONVERN, "JOB_LEASE_SECONDS": 60, "JOB_MAX_ATTEMPTS": 2}
    with django_capture_on_commit_callbacks(execute=True):
        request = services.submit_request(
            actor=officer_actor,
            request_type=RequestType.ERASURE,
            email="kari@example.com",
            channel="phone",
            verification_note="Called back.",
        )
    return request, DBTaskResult.objects.get(task_path=FULFILMENT_TASK)


def lose(job: DBTaskResult[Any, Any], worker: str) -> None:
    """The job was claimed by ``worker``, which then died (no heartbeat, long ago)."""
    job.refresh_from_db()
    job.claim(worker)
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=10)
    )


def page(client: Client, request: DataSubjectRequest) -> str:
    response = client.get(f"{LIST}{request.pk}/change/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_a_job_run_again_then_given_up_is_on_the_timeline_and_in_the_trouble_list(
    queued, privacy_officer, ola
):
    request, job = queued
    staff = Client()
    staff.force_login(privacy_officer)
    assert request.reference not in staff.get(f"{LIST}?job=trouble").content.decode()
    # when the job's worker dies and the job is recovered
    lose(job, "w1")
    recover_lost_jobs()
    # then the timeline says it is run again and why, and the request is in the trouble list
    event = request.events.get(kind=EventKind.JOB_RETRIED)
    assert event.detail == {
        "reason": "worker_lost",
        "attempt": 1,
        "max_attempts": 2,
        "job": str(job.pk),
    }
    assert AuditEntry.objects.filter(
        object_id=str(request.pk), event_type=AuditEventType.JOB_RETRIED
    ).exists()
    assert request.reference in staff.get(f"{LIST}?job=trouble").content.decode()
    assert "Being run again (attempt 1 of 2): The worker stopped responding" in page(staff, request)
    # when the second attempt's worker dies too, then the job is given up, with the reason
    lose(job, "w2")
    recover_lost_jobs()
    failed = request.events.get(kind=EventKind.JOB_FAILED)
    assert failed.detail["reason"] == "worker_lost" and failed.detail["attempt"] == 2
    assert "Failed (attempt 2 of 2): the worker stopped responding" in page(staff, request)
    assert request.reference in staff.get(f"{LIST}?job=trouble").content.decode()
    # and no personal data went into the event
    assert "kari" not in str(failed.detail).lower()


# The worker closes its connection between jobs, as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_job_that_raises_is_failed_with_the_error_class_and_a_rerun_clears_it(
    queued, privacy_officer, officer_actor, monkeypatch, django_capture_on_commit_callbacks
):
    request, job = queued
    from personvern.rights.services import fulfilment

    def broken(request_id: int, actor: Any) -> None:
        raise LookupError("the message may name the person")

    monkeypatch.setitem(fulfilment.HANDLERS, RequestType.ERASURE, broken)
    worker = HeartbeatWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w1",
        excluded_queue_names=[],
    )
    worker.run()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    failed = request.events.get(kind=EventKind.JOB_FAILED)
    assert failed.detail["reason"] == "error"
    assert failed.detail["error"] == "builtins.LookupError"
    assert "message" not in str(failed.detail)
    staff = Client()
    staff.force_login(privacy_officer)
    assert "error builtins.LookupError" in page(staff, request)
    assert request.reference in staff.get(f"{LIST}?job=trouble").content.decode()
    # when staff run it again after the fix, then the new job is the one shown
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_fulfilment(actor=officer_actor, request=request)
    assert request.reference not in staff.get(f"{LIST}?job=trouble").content.decode()


def test_staff_who_may_see_a_request_see_its_timeline(queued, customer_service):
    # given a request whose job was run again after its worker died
    request, job = queued
    lose(job, "w1")
    recover_lost_jobs()
    # when customer service (no permission on the events themselves) opens the request
    staff = Client()
    staff.force_login(customer_service)
    html = page(staff, request)
    # then its timeline is there, with the retried job
    assert "Timeline" in html
    assert str(EventKind.JOB_RETRIED.label) in html
