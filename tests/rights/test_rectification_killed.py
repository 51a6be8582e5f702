"""A worker SIGKILLed in the middle of a rectification in the accounting system: another
worker finishes it, every system is corrected once, and one reply goes out.

Real processes and real databases (PostgreSQL and MariaDB, as the erasure's killed-worker
test): the test holds a share lock on Kari's customer row, so the worker's rectification
waits there, after the contact person was corrected, journaled and committed, and is killed
while it waits."""

from __future__ import annotations

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from personvern.connectors.models import RectificationStep
from personvern.core.actors import Actor
from personvern.demo import accounting as c
from personvern.register.models import Person
from personvern.rights import services
from personvern.rights.choices import EventKind, RequestStatus, RequestType
from personvern.rights.models import DataSubjectRequest
from personvern.rights.selectors import FULFILMENT_TASK
from tests.connectors import external as external_databases
from tests.rights import across
from tests.rights.conftest import Mailbox
from tests.rights.test_sql_source_killed import (
    DB_TASKS,
    database_url,
    kill_worker_waiting_on_customer,
)
from tests.scheduling.processes import start_worker, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
ENV = external_databases.ENV
external = external_databases.external
__all__ = ["database_url"]  # the fixture, shared with the erasure's test


@pytest.mark.parametrize("external", ["postgresql", "mariadb"], indirect=True)
def test_a_worker_killed_inside_a_rectification_is_finished_by_another(
    external, database_url, settings, smtp: Mailbox, kari, ola, officer_actor, customer_service
):
    # given Kari and Ola in the accounting system, its dataset (with what a rectification
    # corrects) in use
    across.fill_books(external, officer_actor)
    settings.TASKS = DB_TASKS
    env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "PERSONVERN_PORTAL_URL": "http://testserver",
        "PERSONVERN_JOB_LEASE_SECONDS": "2",
        ENV: external.url,
    }
    try:
        _run(external, database_url, env, smtp, kari, officer_actor, customer_service)
    finally:
        across.empty_books(external)


def _run(external, database_url, env, smtp, kari, officer_actor, customer_service) -> None:
    # and a rectification request verified by staff, with Kari's corrected surname and phone
    request = services.submit_request(
        actor=officer_actor,
        request_type=RequestType.RECTIFICATION,
        email="kari@example.com",
        channel="phone",
        verification_note="Called back on the number we hold.",
        language="en",
    )
    services.complete_rectification(
        actor=Actor(user=customer_service),
        request=request,
        note="Corrected as you asked.",
        changes={"last_name": "Nordmann-Hansen", "phone": "987 65 432"},
    )
    job = DBTaskResult.objects.filter(task_path=FULFILMENT_TASK).order_by("enqueued_at").first()
    assert job is not None
    # and Kari's customer row share-locked by someone else
    # when a worker takes the job and is killed while its rectification waits on that row
    kari_id = kill_worker_waiting_on_customer(external, database_url, env, "K-1001")

    # then the contact person is corrected and journaled, the customer row is not, no reply
    contact = across.row(external, c.CONTACTS, c.CONTACTS.c.customer_id == kari_id)
    assert contact["name"] == "Kari Nordmann-Hansen"
    customer = across.row(external, c.CUSTOMERS, c.CUSTOMERS.c.id == kari_id)
    assert customer["name"] == "Kari Nordmann"
    steps = dict(RectificationStep.objects.values_list("table", "count"))
    assert steps["contact_persons"] == 1 and "customers" not in steps
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert "sql:accounting" not in request.source_states
    assert Person.objects.get(pk=kari.pk).last_name == "Nordmann"  # the register waits

    # when another worker starts
    second = start_worker(database_url, "worker-2", env=env)
    try:
        wait_for(
            lambda: DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.DONE,
            timeout=60,
            what="the rectification",
        )
        wait_for(lambda: smtp.subjects("kari@example.com"), timeout=10, what="the reply")
        # (the corrections queued a second job, which the second worker may have run first:
        # the killed one is taken again once its lease runs out)
        wait_for(
            lambda: DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.SUCCESSFUL,
            timeout=30,
            what="the killed worker's job",
        )
    finally:
        output = stop(second)
    assert second.returncode == 0, output

    # then the job succeeded on its second worker
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["worker-1", "worker-2"])
    # and every system is corrected, the accounting system's part recorded once
    customer = across.row(external, c.CUSTOMERS, c.CUSTOMERS.c.id == kari_id)
    assert (customer["name"], customer["phone"]) == ("Kari Nordmann-Hansen", "+4798765432")
    assert external.count(c.CUSTOMERS, c.CUSTOMERS.c.name == "Ola Nordmann") == 1
    person = Person.objects.get(pk=kari.pk)
    assert (person.last_name, person.phone) == ("Nordmann-Hansen", "+4798765432")
    request.refresh_from_db()
    done = request.events.filter(kind=EventKind.SOURCE_DONE, detail__source="sql:accounting")
    assert done.count() == 1
    assert done.get().detail["rectified"] == {"contact_persons": 1, "customers": 1}
    # and one reply, which says what was corrected where
    replies = [s for s in smtp.subjects("kari@example.com") if "corrected" in s]
    assert replies == [f"Your data has been corrected ({request.reference})"]
    body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
    assert "- Accounting system: 2 records corrected; Invoice recipient not changed" in body
