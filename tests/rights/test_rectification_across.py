"""Rectification and restriction reach every system that holds the person's data: the
register, the accounting system (SQLite, PostgreSQL, MariaDB), a CRM over real HTTP and the
paper archive (a manual task). The replies say system by system what was done, never more;
a table kept under the Bookkeeping Act is not changed and the reply says why; a system with
no call for it is named as not done; the Art. 19 notices go once every system is done."""

from __future__ import annotations

import datetime

import pytest

from personvern.connectors.models import RectificationStep
from personvern.core.actors import Actor
from personvern.demo import accounting as c
from personvern.register.models import Person
from personvern.rights import services
from personvern.rights.choices import EventKind, ManualTaskStatus, RequestStatus, SourceStatus
from personvern.rights.models import Art19Notice, Art19Recipient, DataSubjectRequest, ManualTask
from tests.connectors import external as external_databases
from tests.rights import across
from tests.rights.across import CRM_ENV, INVOICE_RECIPIENTS

pytestmark = pytest.mark.django_db
external = external_databases.external  # the fixture: SQLite, PostgreSQL, MariaDB
books, crm, archive = across.books, across.crm, across.archive  # the fixtures


@pytest.fixture
def processor_told(activities):
    return Art19Recipient.objects.create(
        name="CRM Cloud Inc.",
        email="privacy@crm.example",
        language="en",
        processor=activities["customer"].processors.get(),
    )


def _close(task: ManualTask, user, capture, outcome: str = ManualTaskStatus.DONE) -> None:
    with capture(execute=True):
        services.manual.close_task(actor=Actor(user=user), task=task, outcome=outcome, note="")


def test_a_rectification_reaches_every_system_and_the_reply_says_what_was_done(
    portal,
    smtp,
    books,
    crm,
    archive,
    processor_told,
    kari,
    customer_service,
    django_capture_on_commit_callbacks,
):
    # given Kari's rectification request, verified
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="rectification", lang="en")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    assert not ManualTask.objects.exists()  # the tasks wait for the corrections
    # when staff correct her surname, phone and e-mail address (as she wrote them)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_rectification(
            actor=Actor(user=customer_service),
            request=request,
            note="Corrected as you asked.",
            changes={
                "last_name": "Nordmann-Hansen",
                "phone": "987 65 432",
                "email": "kari.hansen@example.com",
            },
        )
    # then the accounting system's customer and contact rows hold the corrected values,
    # normalised as the register stores them
    customer = across.row(books, c.CUSTOMERS, c.CUSTOMERS.c.customer_no == "K-1001")
    assert (customer["name"], customer["email"], customer["phone"]) == (
        "Kari Nordmann-Hansen",
        "kari.hansen@example.com",
        "+4798765432",
    )
    contact = across.row(books, c.CONTACTS, c.CONTACTS.c.customer_id == customer["id"])
    assert (contact["name"], contact["email"]) == (
        "Kari Nordmann-Hansen",
        "kari.hansen@example.com",
    )
    # and the invoices' recipients, kept as issued under the Bookkeeping Act, are not changed
    assert books.count(INVOICE_RECIPIENTS, INVOICE_RECIPIENTS.c.name == "Kari Nordmann") == 2
    # and Ola's rows are untouched
    assert books.count(c.CUSTOMERS, c.CUSTOMERS.c.name == "Ola Nordmann") == 1
    # and the CRM's records of her were corrected through its update call, Ola's not
    people = sorted((x["name"], x["email"], x["phone"]) for x in crm.contacts.values())
    assert people == [
        ("Kari Nordmann-Hansen", "kari.hansen@example.com", "+4798765432"),
        ("Kari Nordmann-Hansen", "kari.hansen@example.com", "+4798765432"),
        ("Ola Nordmann", "ola@example.com", "+4791234568"),
    ]
    # and the register too (last: the others found her by what it held)
    kari.refresh_from_db()
    assert (kari.last_name, kari.email, kari.phone) == (
        "Nordmann-Hansen",
        "kari.hansen@example.com",
        "+4798765432",
    )
    # and the archive's staff member has a task naming what to correct (not the values,
    # which its page reads from the request), and was told
    task = ManualTask.objects.get()
    assert "Nordmann-Hansen" not in task.instructions and "Etternavn" in task.instructions
    assert request.reference in str(smtp.last_to(customer_service.email)["Subject"])
    # and until it is closed, no reply and no Art. 19 notice go out
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert not any("corrected" in s for s in smtp.subjects("kari@example.com"))
    assert not Art19Notice.objects.exists()

    # when the staff member has corrected the binders and closes the task
    _close(task, customer_service, django_capture_on_commit_callbacks)

    # then the reply says system by system what was done, and that not everything changed
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
    assert "we have corrected your data where the list below says so; not everywhere." in body
    assert (
        "- Accounting system: 2 records corrected; Invoice recipient not changed (2 kept as "
        "issued): The Bookkeeping Act (bokføringsloven § 13) requires us to keep bookkeeping "
        "material." in body
    )
    assert "- CRM: 2 records corrected." in body
    assert "- Paper archive: handled by hand as our instructions say." in body
    assert "- The register: 1 record corrected." in body
    assert "Corrected as you asked." in body
    # and the processor was told (Art. 19), after every system was done
    notice = smtp.last_to("privacy@crm.example")
    assert str(notice["Subject"]).startswith("Rectification of a person's data")
    assert Art19Notice.objects.get(request=request).letter.sent_at is not None
    # and each system's part is on the timeline, journaled, and the values are not kept
    done = request.events.filter(kind=EventKind.SOURCE_DONE)
    assert sorted(e.detail["source"] for e in done) == [
        "http:crm",
        "manual:paper-archive",
        "register",
        "sql:accounting",
    ]
    steps = dict(RectificationStep.objects.values_list("table", "count"))
    assert steps == {"customers": 1, "contact_persons": 1, "invoice_recipients": 2}
    assert "rectification" not in request.result
    assert request.result["rectified_fields"] == ["email", "last_name", "phone"]


def test_a_restriction_marks_every_system_and_the_reply_says_what_was_done(
    portal, smtp, books, crm, archive, kari, customer_service, django_capture_on_commit_callbacks
):
    # when Kari asks for restriction
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction", lang="en")
    request = DataSubjectRequest.objects.get()
    # then the automatic systems are marked at once
    assert books.count(c.CUSTOMERS, c.CUSTOMERS.c.restricted_at.is_not(None)) == 1
    assert books.count(c.INVOICES, c.INVOICES.c.restricted_at.is_not(None)) == 2
    assert sorted(x["restricted"] for x in crm.contacts.values()) == [False, True, True]
    assert Person.objects.get(pk=kari.pk).processing_restricted_since is not None
    # and the archive's staff member has a task to mark the binders
    task = ManualTask.objects.get()
    # (in the staff language: tests run in bokmål)
    assert task.instructions.startswith(
        "Begrensning av behandling (personvernforordningen art. 18)"
    )
    assert request.status == RequestStatus.IN_PROGRESS
    # when the task is closed
    _close(task, customer_service, django_capture_on_commit_callbacks)
    # then the reply says per system what was done
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
    assert (
        "- Accounting system: 3 records marked as restricted (some of its tables have no such "
        "mark)." in body
    )
    assert "- CRM: 2 records marked as restricted." in body
    assert "- Paper archive: handled by hand as our instructions say." in body
    assert "- The register: processing restricted." in body


@pytest.mark.parametrize("external", ["sqlite"], indirect=True)
def test_a_system_without_the_calls_is_named_as_not_done(
    portal, smtp, books, kari, officer_actor, monkeypatch, django_capture_on_commit_callbacks
):
    # given a CRM whose API has no update and no restrict call
    monkeypatch.setenv(CRM_ENV, across.CRM_TOKEN)
    crm = across.start_crm(officer_actor, update=False, restrict=False)
    try:
        # when Kari corrects her phone in the portal's profile
        portal.submit_and_confirm(smtp, "kari@example.com", request_type="rectification", lang="en")
        with django_capture_on_commit_callbacks(execute=True):
            saved = portal.client.post(
                "/portal/profile/",
                {
                    "first_name": "Kari",
                    "last_name": "Nordmann",
                    "phone": "98765432",
                    "position": "Controller",
                    "role": "",
                },
            )
        assert saved.status_code == 200
        # then the accounting system and the register are corrected, the CRM is not, and
        # the reply says so
        assert books.count(c.CUSTOMERS, c.CUSTOMERS.c.phone == "+4798765432") == 1
        assert Person.objects.get(pk=kari.pk).phone == "+4798765432"
        body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
        assert "not everywhere" in body
        assert "- CRM: not corrected: this system offers us no way to correct it." in body
        assert "- Accounting system: 1 record corrected." in body
        # when she asks for restriction as well
        portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction", lang="en")
        # then the reply names the CRM as not marked
        body = " ".join(smtp.body(smtp.last_to("kari@example.com")).split())
        assert "- CRM: not marked: this system offers us no way to mark data as restricted." in body
        assert all(not x.get("restricted") for x in crm.contacts.values())
    finally:
        crm.stop()


@pytest.mark.parametrize("external", ["sqlite"], indirect=True)
def test_a_failing_system_is_retried_and_no_reply_goes_before_it_is_corrected(
    portal, smtp, books, crm, kari, customer_service, django_capture_on_commit_callbacks
):
    # given a CRM that answers 503 to every call for now
    crm.fail_next = 1000
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="rectification", lang="en")
    request = DataSubjectRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_rectification(
            actor=Actor(user=customer_service),
            request=request,
            note="Corrected.",
            changes={"last_name": "Nordmann-Hansen"},
        )
    # then the CRM is failing with a code, the register waits, and no reply went out
    request.refresh_from_db()
    state = request.source_states["http:crm"]
    assert state["status"] == SourceStatus.FAILING
    assert state["reason"] == "connection_failed:HTTPStatusError"
    assert Person.objects.get(pk=kari.pk).last_name == "Nordmann"
    assert not any("corrected" in s for s in smtp.subjects("kari@example.com"))
    # when the CRM is back and the backoff has passed
    crm.fail_next = 0
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources(now=later) == 1
    # then every system is corrected and the reply goes out
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert Person.objects.get(pk=kari.pk).last_name == "Nordmann-Hansen"
    assert {x["name"] for x in crm.contacts.values()} == {"Kari Nordmann-Hansen", "Ola Nordmann"}
    assert "- CRM: 2 records corrected." in smtp.body(smtp.last_to("kari@example.com"))
