"""An objection's interim restriction (Art. 18(1)(d)), its lift when the objection is decided,
and the privacy officer's lift of a restriction (Art. 18(3)) reach every system the way a
restriction request does: the register at once, in the decision's transaction; every other
system by a job after it, recorded per system under the step's own key, a failing system
retried with backoff and shown failing, a manual source through its staff member's task. No
letter claims more than was done. And a staff member's e-mail about a rectification task
holds none of the corrected values."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from personvern.core.actors import Actor
from personvern.demo import accounting as c
from personvern.register.models import Person
from personvern.rights import services
from personvern.rights.choices import (
    EventKind,
    ManualTaskStatus,
    RequestStatus,
    SourceStatus,
    TaskStep,
)
from personvern.rights.models import DataSubjectRequest, ManualTask
from tests.connectors import external as external_databases
from tests.rights import across

pytestmark = pytest.mark.django_db
external = external_databases.external  # the fixture (the accounting system on SQLite)
books, crm, archive = across.books, across.crm, across.archive  # the fixtures
on_sqlite = pytest.mark.parametrize("external", ["sqlite"], indirect=True)
UNREACHABLE = "postgresql+psycopg://app:s3cret@127.0.0.1:9/books"
LATER = datetime.timedelta(minutes=5)


def _object(portal, smtp) -> DataSubjectRequest:
    portal.submit_and_confirm(
        smtp,
        "kari@example.com",
        request_type="objection",
        objection_scopes=["legitimate_interest"],
        lang="en",
    )
    return DataSubjectRequest.objects.get(request_type="objection")


def _retry(capture) -> int:
    later = datetime.datetime.now(tz=datetime.UTC) + LATER
    with capture(execute=True):
        return int(services.retry_due_sources(now=later))


def _close(task: ManualTask, user, capture) -> None:
    with capture(execute=True):
        services.manual.close_task(
            actor=Actor(user=user), task=task, outcome=ManualTaskStatus.DONE, note=""
        )


def _restricted_customers(books: external_databases.External) -> int:
    return books.count(c.CUSTOMERS, c.CUSTOMERS.c.restricted_at.is_not(None))


@on_sqlite
def test_an_interim_restriction_is_recorded_though_a_system_is_down_and_reaches_it_later(
    portal,
    smtp,
    books,
    crm,
    kari,
    officer_actor,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # given the accounting database unreachable (its URL points at a closed port)
    monkeypatch.setenv(external_databases.ENV, UNREACHABLE)
    # when Kari objects to processing on legitimate interest
    request = _object(portal, smtp)
    # then the objection is recorded and the register restricted at once
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.result["interim_restriction"] is True
    assert Person.objects.get(pk=kari.pk).processing_restricted_since is not None
    # and the CRM is restricted, while the accounting system is failing with a code and
    # waits for its retry, under the step's own key
    assert sorted(x["restricted"] for x in crm.contacts.values()) == [False, True, True]
    state = request.source_states["restrict:sql:accounting"]
    assert state["status"] == SourceStatus.FAILING and state["retry_at"]
    assert state["reason"] == "connection_failed:OperationalError"
    assert "sql:accounting" not in request.source_states
    failed = request.events.get(kind=EventKind.SOURCE_FAILED)
    assert failed.detail["step"] == TaskStep.RESTRICT and "s3cret" not in str(failed.detail)
    # and no letter claims her data is restricted everywhere yet
    assert not any("objection is recorded" in s for s in smtp.subjects("kari@example.com"))

    # when the database is back and the backoff has passed
    monkeypatch.setenv(external_databases.ENV, books.url)
    assert _retry(django_capture_on_commit_callbacks) == 1
    # then her rows are marked there too, and she is told system by system
    assert _restricted_customers(books) == 1
    request.refresh_from_db()
    assert request.source_states["restrict:sql:accounting"]["status"] == SourceStatus.DONE
    assert request.status == RequestStatus.IN_PROGRESS  # the privacy officer decides
    reply = smtp.last_to("kari@example.com")
    assert "objection is recorded" in str(reply["Subject"])
    body = " ".join(smtp.body(reply).split())
    assert "- Accounting system: 3 records marked as restricted" in body
    assert "- CRM: 2 records marked as restricted." in body
    assert "- The register: processing restricted." in body
    # and a later run changes nothing and tells her nothing again
    sent = len(smtp.messages)
    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_fulfilment(actor=officer_actor, request=request)
    assert len(smtp.messages) == sent


def test_a_manual_source_gets_a_task_for_the_interim_restriction_and_for_the_lift(
    portal, smtp, archive, kari, customer_service, officer_actor, django_capture_on_commit_callbacks
):
    # when Kari objects to processing on legitimate interest
    request = _object(portal, smtp)
    # then the paper archive's staff member has a task to restrict, due before the deadline,
    # and is told by mail
    task = ManualTask.objects.get(step=TaskStep.RESTRICT)
    assert task.assignee == customer_service and task.status == ManualTaskStatus.OPEN
    assert task.due_on == request.deadline - datetime.timedelta(days=5)
    assert task.instructions.startswith("Begrensning av behandling")
    told = smtp.last_to(customer_service.email)
    assert request.reference in str(told["Subject"])
    assert f"/admin/rights/manualtask/{task.pk}/" in smtp.body(told)
    # and Kari is not yet told her data is restricted everywhere
    assert not any("objection is recorded" in s for s in smtp.subjects("kari@example.com"))

    # when the staff member has marked the binders and closes the task
    _close(task, customer_service, django_capture_on_commit_callbacks)
    # then the archive is recorded as restricted, and she is told system by system
    request.refresh_from_db()
    assert request.source_states["restrict:manual:paper-archive"]["status"] == SourceStatus.DONE
    body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
    assert "- Paper archive: handled by hand as our instructions say." in body

    # when the privacy officer upholds the objection
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_objection(actor=officer_actor, request=request, compelling_grounds="")
    # then the register is lifted and the request answered, and the letter says the
    # restriction is being lifted (it was in place everywhere)
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert Person.objects.get(pk=kari.pk).processing_restricted_since is None
    decided = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
    assert "is now being lifted." in decided and "not yet been put in place" not in decided
    # and the staff member has a task to lift it in the archive, and is told
    lift = ManualTask.objects.get(step=TaskStep.LIFT)
    assert lift.status == ManualTaskStatus.OPEN and lift.due_on >= timezone.localdate()
    assert "oppheves" in lift.instructions
    assert f"/admin/rights/manualtask/{lift.pk}/" in smtp.body(smtp.last_to(customer_service.email))
    assert "lift:manual:paper-archive" not in request.source_states
    # when that task is closed, the archive's lift is recorded
    _close(lift, customer_service, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.source_states["lift:manual:paper-archive"]["status"] == SourceStatus.DONE
    assert request.source_states["restrict:manual:paper-archive"]["status"] == SourceStatus.DONE


def test_a_decision_before_the_interim_restriction_is_in_place_says_where_it_was_not(
    portal, smtp, archive, kari, customer_service, officer_actor, django_capture_on_commit_callbacks
):
    # given Kari's objection, its archive task still open
    request = _object(portal, smtp)
    restrict = ManualTask.objects.get(step=TaskStep.RESTRICT)
    # when the privacy officer decides with compelling grounds
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_objection(
            actor=officer_actor, request=request, compelling_grounds="Ongoing fee dispute."
        )
    # then the decision is recorded and the letter names the system where the restriction
    # was not yet in place
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
    assert "It had not yet been put in place in: Paper archive." in body
    # and closing the old task does not put the restriction in place after the lift
    _close(restrict, customer_service, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert "restrict:manual:paper-archive" not in request.source_states
    assert ManualTask.objects.filter(step=TaskStep.LIFT, status=ManualTaskStatus.OPEN).exists()


@on_sqlite
def test_a_system_down_through_the_objection_is_lifted_when_back_and_never_restricted_after(
    portal, smtp, books, kari, officer_actor, monkeypatch, django_capture_on_commit_callbacks
):
    # given Kari's objection while the accounting database is down
    monkeypatch.setenv(external_databases.ENV, UNREACHABLE)
    request = _object(portal, smtp)
    assert request.source_states["restrict:sql:accounting"]["status"] == SourceStatus.FAILING
    # when the privacy officer upholds it before the database is back
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_objection(actor=officer_actor, request=request, compelling_grounds="")
    # then the decision is recorded, the register lifted, and the letter names the system
    # where the restriction was never in place
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert Person.objects.get(pk=kari.pk).processing_restricted_since is None
    body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
    assert "It had not yet been put in place in: Accounting system." in body
    assert request.source_states["lift:sql:accounting"]["status"] == SourceStatus.FAILING
    # when the database is back: the lift is retried, the restriction is not
    monkeypatch.setenv(external_databases.ENV, books.url)
    assert _retry(django_capture_on_commit_callbacks) == 1
    request.refresh_from_db()
    assert request.source_states["lift:sql:accounting"]["status"] == SourceStatus.DONE
    assert _restricted_customers(books) == 0
    # and nothing is scheduled any more
    assert _retry(django_capture_on_commit_callbacks) == 0


@on_sqlite
def test_lifting_while_a_system_fails_leaves_the_register_lifted_and_the_system_failing(
    portal, smtp, books, kari, officer_actor, monkeypatch, django_capture_on_commit_callbacks
):
    # given Kari's restriction, in place in the register and the accounting system
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction", lang="en")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    assert _restricted_customers(books) == 1
    # when the accounting database is down and the privacy officer lifts the restriction
    monkeypatch.setenv(external_databases.ENV, UNREACHABLE)
    with django_capture_on_commit_callbacks(execute=True):
        services.lift_restriction(actor=officer_actor, request=request, reason="Verified.")
    # then the register is lifted, and the accounting system is shown failing with a code
    assert Person.objects.get(pk=kari.pk).processing_restricted_since is None
    request.refresh_from_db()
    state = request.source_states["lift:sql:accounting"]
    assert state["status"] == SourceStatus.FAILING
    assert state["reason"] == "connection_failed:OperationalError"
    # and what the restriction itself did stays recorded beside it
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.DONE
    assert request.source_states["sql:accounting"]["report"]["restricted"] is True
    assert _restricted_customers(books) == 1

    # when the database is back and the backoff has passed
    monkeypatch.setenv(external_databases.ENV, books.url)
    assert _retry(django_capture_on_commit_callbacks) == 1
    # then her rows there are no longer marked
    assert _restricted_customers(books) == 0
    request.refresh_from_db()
    assert request.source_states["lift:sql:accounting"]["status"] == SourceStatus.DONE
    assert _retry(django_capture_on_commit_callbacks) == 0


def test_the_staff_mail_for_a_rectification_task_holds_none_of_the_corrected_values(
    portal, smtp, archive, kari, customer_service, django_capture_on_commit_callbacks
):
    # given Kari's rectification request, verified
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="rectification", lang="en")
    request = DataSubjectRequest.objects.get()
    # when staff give the corrected values
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_rectification(
            actor=Actor(user=customer_service),
            request=request,
            note="Corrected.",
            changes={"last_name": "Nordmann-Hansen", "phone": "987 65 432"},
        )
    # then the archive's staff member is told of the task, the system, the due date and the
    # link, and of none of the values
    task = ManualTask.objects.get()
    told = smtp.last_to(customer_service.email)
    text = str(told["Subject"]) + smtp.body(told)
    assert request.reference in text and "Paper archive" in text
    assert f"/admin/rights/manualtask/{task.pk}/" in text
    for value in ("Nordmann-Hansen", "98765432", "987 65 432", "kari@example.com"):
        assert value not in text
    assert "Nordmann-Hansen" not in task.instructions
    # and the task's page, signed in, shows them, read from the request
    staff = Client()
    staff.force_login(customer_service)
    page = staff.get(f"/admin/rights/manualtask/{task.pk}/change/")
    assert page.status_code == 200
    assert b"Nordmann-Hansen" in page.content and b"+4798765432" in page.content
    # when the task is closed and the reply has gone, the values are gone from the request
    # and so from the page
    _close(task, customer_service, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and "rectification" not in request.result
    page = staff.get(f"/admin/rights/manualtask/{task.pk}/change/")
    assert b"Nordmann-Hansen" not in page.content
