"""Manual sources: a request creates a task for the named staff member, with instructions and
a due date before the deadline; the request is not answered while it is open; closing it
(done, nothing found, kept with a reason) lets the request finish, and says so in the reply."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.core.workplace import Urgency, workplace_items
from personvern.register.models import Person
from personvern.rights import services
from personvern.rights.choices import (
    EventKind,
    ManualTaskStatus,
    RequestStatus,
    RightsErrorCode,
    SourceStatus,
)
from personvern.rights.models import DataSubjectRequest, ManualSource, ManualTask
from personvern.rights.services.common import complete
from tests.rights.conftest import link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db
INSTRUCTIONS = "Search the binders for 2019-2024 under the person's name; shred what you find."


@pytest.fixture
def archive(customer_service, officer_actor) -> ManualSource:
    return services.manual.save_manual_source(
        actor=officer_actor,
        values={
            "key": "paper-archive",
            "name": "Paper archive",
            "instructions": INSTRUCTIONS,
            "assignee": customer_service,
            "lead_days": 5,
        },
    )


def test_an_access_request_waits_for_the_task_and_then_reports_it(
    portal, smtp, kari, archive, customer_service, client, django_capture_on_commit_callbacks
):
    # when Kari asks for access
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    # then a task is created for the archive's staff member, due five days before the deadline
    request = DataSubjectRequest.objects.get()
    task = ManualTask.objects.get()
    assert (task.assignee, task.instructions) == (customer_service, INSTRUCTIONS)
    assert task.due_on == request.deadline - datetime.timedelta(days=5)
    assert request.events.filter(kind=EventKind.TASK_CREATED).count() == 1
    # and they are told by mail, with a link to the task (what to do is on its page)
    told = smtp.last_to(customer_service.email)
    assert request.reference in str(told["Subject"])
    assert f"/admin/rights/manualtask/{task.pk}/" in smtp.body(told)
    assert INSTRUCTIONS not in smtp.body(told)
    # and the request waits: no package, no reply, and it cannot be completed
    assert request.status == RequestStatus.IN_PROGRESS and not request.package_name
    assert not any("klare" in s for s in smtp.subjects("kari@example.com"))
    with pytest.raises(DomainError) as caught:
        complete(request, actor=Actor.for_system("tests"), result={}, name=None)
    assert caught.value.code == RightsErrorCode.TASKS_OPEN
    # when the staff member closes it as nothing found, in the admin
    client.force_login(customer_service)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/rights/manualtask/{task.pk}/change/",
            {"status": "nothing_found", "note": "Nothing under her name."},
        )
    assert response.status_code == 302
    # then the request finishes, and the package says what the archive search found
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    archive_zip = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    data = json.loads(archive_zip.read("data.json"))
    steps = data["sources"]["manual:paper-archive"]["kinds"]["manual_steps"]["records"]
    assert [(s["outcome"], s["note"]) for s in steps] == [
        ("nothing_found", "Nothing under her name.")
    ]
    closed = request.events.get(kind=EventKind.TASK_CLOSED)
    assert closed.detail["outcome"] == "nothing_found" and closed.actor_label
    # and a closed task cannot be closed again
    with pytest.raises(DomainError) as caught:
        services.manual.close_task(
            actor=Actor(user=customer_service), task=task, outcome="done", note=""
        )
    assert caught.value.code == RightsErrorCode.TASK_CLOSED


def test_an_erasure_keeps_the_register_until_the_task_is_closed_and_lists_what_was_kept(
    portal, smtp, kari, archive, customer_service, django_capture_on_commit_callbacks
):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure", lang="en")
    request = DataSubjectRequest.objects.get()
    # then the register waits for the task (it holds the identity staff search by)
    assert request.status == RequestStatus.IN_PROGRESS
    assert "register" not in request.source_states
    assert Person.objects.filter(pk=kari.pk, email="kari@example.com").exists()
    task = ManualTask.objects.get()
    # when the staff member says kept without a reason, it is refused, naming the field
    actor = Actor(user=customer_service)
    with pytest.raises(DomainError) as caught:
        services.manual.close_task(actor=actor, task=task, outcome="kept", note=" ")
    assert caught.value.code == RightsErrorCode.TASK_NOTE_REQUIRED
    assert caught.value.errors[0].field == "note"
    # when they close it as kept, with the reason
    with django_capture_on_commit_callbacks(execute=True):
        services.manual.close_task(
            actor=actor,
            task=task,
            outcome=ManualTaskStatus.KEPT,
            note="The signed engagement letter, kept for the limitation period",
        )
    # then the erasure finishes, and the reply lists the archive's part as kept, with why
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.source_states["manual:paper-archive"]["status"] == SourceStatus.DONE
    assert not Person.objects.filter(email="kari@example.com").exists()
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "- Paper archive: The signed engagement letter, kept for the limitation period" in body
    assert "- Paper archive: searched by hand, kept (listed above)." in body
    assert "we have erased all" not in body


def test_someone_else_without_the_permission_cannot_close_the_task(
    portal, smtp, kari, archive, sales_user
):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction")
    task = ManualTask.objects.get()
    with pytest.raises(DomainError) as caught:
        services.manual.close_task(actor=Actor(user=sales_user), task=task, outcome="done")
    assert caught.value.status == 403
    assert DataSubjectRequest.objects.get().status == RequestStatus.IN_PROGRESS


def test_staff_are_reminded_once_a_day_and_see_their_tasks_at_home(
    portal, smtp, kari, archive, customer_service
):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    task = ManualTask.objects.get()
    today = timezone.localdate()
    # given the task's due date two days ahead: nothing is reminded a week before
    assert services.manual.send_task_reminders(today=task.due_on - datetime.timedelta(7)) == 0
    # when the morning's reminders run two days before it falls due
    sent = len(smtp.to(customer_service.email))
    assert services.manual.send_task_reminders(today=task.due_on - datetime.timedelta(2)) == 1
    # then the staff member gets one mail naming the task, once that day
    reminder = smtp.last_to(customer_service.email)
    assert len(smtp.to(customer_service.email)) == sent + 1
    assert "Manuelle oppgaver" in str(reminder["Subject"]) and "2 dager igjen" in smtp.body(
        reminder
    )
    assert services.manual.send_task_reminders(today=task.due_on - datetime.timedelta(2)) == 0
    # and the home page shows the task, overdue once its date has passed
    [item] = [i for i in workplace_items(customer_service) if i.key == "rights.manual_tasks"]
    assert item.count == 1
    ManualTask.objects.update(due_on=today - datetime.timedelta(days=1))
    [item] = [i for i in workplace_items(customer_service) if i.key == "rights.manual_tasks"]
    assert item.urgency == Urgency.OVERDUE
