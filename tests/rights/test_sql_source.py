"""Requests reach an external SQL database (the demo's accounting system) on SQLite,
PostgreSQL and MariaDB: access packages hold its rows, erasure deletes, empties or keeps them
per table and the reply says which, a failing source is retried and shown to staff, and
restriction marks the rows."""

from __future__ import annotations

import datetime
import json

import pytest
import sqlalchemy as sa

from personvern.connectors import services as connectors
from personvern.connectors.models import ErasureStep
from personvern.connectors.spec import from_yaml
from personvern.demo import accounting
from personvern.register.models import Person
from personvern.rights import services
from personvern.rights.choices import EventKind, RequestStatus, SourceStatus
from personvern.rights.models import DataSubjectRequest
from tests.connectors import external as external_databases
from tests.rights.conftest import link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db
ENV = external_databases.ENV
external = external_databases.external  # the fixture: SQLite, PostgreSQL, MariaDB

KARI = accounting.Customer("K-1001", "Kari Nordmann", "Kari@Example.com", "91 23 45 67")
OLA = accounting.Customer("K-1002", "Ola Nordmann", "ola@example.com", "+47 91 23 45 68")


@pytest.fixture
def books(external, officer_actor, kari, ola):
    """Kari and Ola in the accounting system (as it spells them), and its dataset in use."""
    with external.engine.begin() as connection:
        accounting.add_customer(connection, KARI, invoices=2, lines=3, year=2024)
        accounting.add_customer(connection, OLA)
    connectors.save_dataset(actor=officer_actor, spec=from_yaml(accounting.dataset_yaml(ENV)))
    return external


def test_an_access_package_holds_the_accounting_rows_described_by_table(portal, smtp, books):
    # when Kari asks for access
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    # then the package has her rows of every table, reached by e-mail, phone and parents
    archive = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    data = json.loads(archive.read("data.json"))
    source = data["sources"]["sql:accounting"]
    assert source["label"] == "Accounting system"
    counts = {kind: len(found["records"]) for kind, found in source["kinds"].items()}
    assert counts == {
        "customers": 1,
        "contact_persons": 1,
        "invoices": 2,
        "invoice_lines": 6,
        "time_entries": 3,
        "documents": 1,
    }
    assert source["kinds"]["customers"]["records"][0]["customer_no"] == "K-1001"
    assert "user.financial" in source["kinds"]["invoices"]["description"]
    assert "csv/sql:accounting/invoice_lines.csv" in archive.namelist()
    # and none of Ola's
    assert "K-1002" not in json.dumps(source)
    # and the register is there too
    assert data["sources"]["register"]["kinds"]["person"]["records"]


def test_erasure_deletes_empties_and_keeps_per_table_and_the_reply_says_which(portal, smtp, books):
    c = accounting
    # when Kari asks for erasure
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure", lang="en")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    # then her contact person, time entries and documents are gone, her customer row is
    # emptied, and her invoices are kept and restricted
    kari_row = c.CUSTOMERS.c.customer_no == "K-1001"
    assert books.count(c.CUSTOMERS, kari_row, c.CUSTOMERS.c.email.is_(None)) == 1
    assert books.count(c.CUSTOMERS, c.CUSTOMERS.c.name == "Kari Nordmann") == 0
    assert books.count(c.CONTACTS, c.CONTACTS.c.name == "Kari Nordmann") == 0
    assert books.count(c.TIME_ENTRIES) == 3  # Ola's
    assert books.count(c.DOCUMENTS) == 1  # Ola's
    assert books.count(c.INVOICES, c.INVOICES.c.number.like("K-1001-%")) == 2
    assert books.count(c.INVOICES, c.INVOICES.c.restricted_at.is_not(None)) == 2
    assert books.count(c.INVOICE_LINES) == 6 + 4
    # and Ola's rows are untouched
    assert books.count(c.CUSTOMERS, c.CUSTOMERS.c.email == "ola@example.com") == 1
    assert books.count(c.INVOICES, c.INVOICES.c.restricted_at.is_(None)) == 2
    # and the source's part is on the timeline with counts, journaled per table
    done = request.events.get(kind=EventKind.SOURCE_DONE, detail__source="sql:accounting")
    assert done.detail["erased"] == {
        "contact_persons": 1,
        "time_entries": 3,
        "documents": 1,
        "customers": 1,
    }
    assert done.detail["kept"] == 2
    assert ErasureStep.objects.filter(job=request.reference).count() == 6
    # and the reply lists per system what was erased and what was kept, why and until when
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "partially erased" in str(smtp.last_to("kari@example.com")["Subject"])
    assert "- Invoice: The Bookkeeping Act (bokføringsloven § 13)" in body
    assert "Erased after 2029-12-31." in body  # the last invoice's year + 5, year end
    assert "Erased after 2031-12-31." in body  # the lines' fixed date
    assert "- Accounting system: 6 records erased, some kept (listed above)." in body
    # and every system is named in her language, the register too (not "Registeret")
    assert "- The register: " in body and "Registeret" not in body
    assert "erased all" not in body
    assert not Person.objects.filter(email="kari@example.com").exists()


def test_a_failing_source_is_retried_and_shown_and_no_reply_claims_it_done(
    portal, smtp, books, monkeypatch, django_capture_on_commit_callbacks
):
    # given the accounting database unreachable (its URL points at a closed port)
    monkeypatch.setenv(ENV, "postgresql+psycopg://app:s3cret@127.0.0.1:9/books")
    # when Kari asks for erasure
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    # then the request waits: the failure is on its timeline with a code, not the text
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    state = request.source_states["sql:accounting"]
    assert state["status"] == SourceStatus.FAILING and state["attempts"] == 1
    failed = request.events.get(kind=EventKind.SOURCE_FAILED)
    assert failed.detail["reason"] == "connection_failed:OperationalError"
    assert failed.detail["final"] is False
    assert "s3cret" not in json.dumps(failed.detail)
    # and the register, which holds the identity, is not erased yet; no reply went out
    assert Person.objects.filter(email="kari@example.com").exists()
    assert not any("slettet" in s for s in smtp.subjects("kari@example.com"))
    # when the retry is not yet due nothing runs
    assert services.retry_due_sources() == 0
    # when the database is back and the backoff has passed
    monkeypatch.setenv(ENV, books.url)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources(now=later) == 1
    # then the erasure finishes everywhere and the reply goes out once
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.DONE
    assert not Person.objects.filter(email="kari@example.com").exists()
    replies = [s for s in smtp.subjects("kari@example.com") if "slettet" in s]
    assert replies == [f"Opplysningene dine er delvis slettet ({request.reference})"]


def test_a_source_that_keeps_failing_is_given_up_for_staff(
    portal, smtp, books, settings, monkeypatch
):
    settings.PERSONVERN = {**settings.PERSONVERN, "RIGHTS_SOURCE_ATTEMPTS": 1}
    monkeypatch.setenv(ENV, "mysql+pymysql://root@127.0.0.1:9/books")
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    request = DataSubjectRequest.objects.get()
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.FAILED
    assert request.events.get(kind=EventKind.SOURCE_FAILED).detail["final"] is True
    assert (
        services.retry_due_sources(
            now=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)
        )
        == 0
    )
    assert request.status == RequestStatus.IN_PROGRESS


def test_restriction_marks_the_rows_of_tables_with_a_restriction_column(portal, smtp, books):
    c = accounting
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction")
    assert DataSubjectRequest.objects.get().status == RequestStatus.DONE
    assert books.count(c.CUSTOMERS, c.CUSTOMERS.c.restricted_at.is_not(None)) == 1
    assert books.count(c.INVOICES, c.INVOICES.c.restricted_at.is_not(None)) == 2
    assert books.count(c.INVOICES, c.INVOICES.c.restricted_at.is_(None)) == 2  # Ola's
    assert sa  # the table helpers
