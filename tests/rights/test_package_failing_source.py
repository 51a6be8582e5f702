"""Access and portability across every system when one fails (issue 11): the job does not
fail; the source is recorded as failing with its reason code and retried with backoff while
the package waits; near the deadline the package goes with the others' data, the letter and
the report naming the system not searched (never the error), and the rest follows in a new
package once the system answers."""

from __future__ import annotations

import datetime
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from personvern.core.errors import DomainError
from personvern.rights import services
from personvern.rights.choices import EventKind, RequestStatus, RightsErrorCode, SourceStatus
from personvern.rights.models import DataSubjectRequest
from personvern.rights.services.packages import PACKAGE_DIR
from tests.rights import test_http_source as http_source
from tests.rights import test_sql_source as sql_source
from tests.rights.conftest import link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db
crm = http_source.crm  # the fixtures: a real HTTP server (the CRM), an external database
books = sql_source.books
external = sql_source.external
ENV = sql_source.ENV
UNREACHABLE = "postgresql+psycopg://app:s3cret@127.0.0.1:9/books"  # a closed port
ERROR_TEXTS = ("s3cret", "OperationalError", "ConnectError", "connection_failed")


def later(minutes: int = 5) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def package_letters(request: DataSubjectRequest) -> list[str]:
    return [
        e.detail["letter"]
        for e in request.events.filter(kind=EventKind.LETTER).order_by("pk")
        if e.detail["letter"] in ("package_ready", "delivery_failed", "package_supplement")
    ]


def stored_packages() -> set[str]:
    """Every package file in the storage (shared by the tests: compare before and after)."""
    if not default_storage.exists(PACKAGE_DIR):
        return set()
    return {
        f"{PACKAGE_DIR}/{directory}/{name}"
        for directory in default_storage.listdir(PACKAGE_DIR)[0]
        for name in default_storage.listdir(f"{PACKAGE_DIR}/{directory}")[1]
    }


def due_in(days: int) -> None:
    DataSubjectRequest.objects.update(due_on=timezone.localdate() + datetime.timedelta(days=days))


def test_access_waits_for_a_crm_that_is_down_and_holds_its_records_once_it_answers(
    portal, smtp, crm, django_capture_on_commit_callbacks
):
    # given the CRM down
    files = stored_packages()
    port = crm.server.server_address[1]
    crm.stop()
    # when Kari asks for access
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    # then the job did not fail: the request waits, the CRM recorded as failing with its code
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    state = request.source_states["http:crm"]
    assert state["status"] == SourceStatus.FAILING and state["attempts"] == 1
    assert state["reason"] == "connection_failed:ConnectError" and state["retry_at"]
    failed = request.events.get(kind=EventKind.SOURCE_FAILED)
    assert failed.detail == {
        "source": "http:crm",
        "reason": "connection_failed:ConnectError",
        "attempt": 1,
        "final": False,
    }
    # and no package is stored or sent while the retry is due and the deadline allows
    assert request.package_name == "" and stored_packages() == files
    assert package_letters(request) == []
    assert services.retry_due_sources() == 0  # the backoff has not passed
    # when the CRM is back and the backoff has passed
    crm.start(port=port)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources(now=later()) == 1
    # then the package goes, with the CRM's records, and says every system was searched
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.source_states["http:crm"]["status"] == SourceStatus.DONE
    assert package_letters(request) == ["package_ready"]
    letter = smtp.body(smtp.last_to("kari@example.com"))
    assert "ikke søke" not in letter
    archive = download(portal, link_in(letter))
    data = json.loads(archive.read("data.json"))
    records = data["sources"]["http:crm"]["kinds"]["records"]["records"]
    assert sorted(r["note"] for r in records) == ["Møte 0", "Møte 1", "Møte 2"]
    assert data["not_searched"] == []
    report = archive.read("report.html").decode()
    assert "i disse systemene: CRM, Registeret." in report and "ikke søke" not in report


def _not_searched_said(archive: zipfile.ZipFile, name: str) -> str:
    data = json.loads(archive.read("data.json"))
    assert "sql:accounting" not in data["sources"] and "register" in data["sources"]
    assert data["not_searched"] == [{"key": "sql:accounting", "label": name}]
    return archive.read("report.html").decode()


def test_near_the_deadline_access_goes_without_the_failing_database_and_the_rest_follows(
    portal, smtp, books, monkeypatch, django_capture_on_commit_callbacks
):
    # given the accounting database unreachable: Kari's access request waits for it
    files = stored_packages()
    monkeypatch.setenv(ENV, UNREACHABLE)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.FAILING
    # and nothing half-written is kept: its rows were being streamed into the file
    assert stored_packages() == files
    # when the deadline is two days away (within RIGHTS_PARTIAL_PACKAGE_DAYS) and it still fails
    due_in(2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources() == 1
    # then the package goes with the register's data, and the request is answered
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.result["not_searched"] == ["sql:accounting"]
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.FAILING
    assert request.source_states["register"]["status"] == SourceStatus.DONE
    # and the letter names the system searched and the one not searched, never the error
    letter = smtp.body(smtp.last_to("kari@example.com"))
    assert "Vi søkte i disse systemene: Registeret." in letter
    assert "Vi kunne ikke søke i disse systemene ennå: Accounting system." in letter
    assert "ikke sikkert" not in letter and "alle opplysningene" not in letter
    assert not any(text in letter for text in ERROR_TEXTS)
    first_link = link_in(letter)
    archive = download(portal, first_link)
    report = _not_searched_said(archive, "Accounting system")
    assert "Vi kunne ikke søke i disse systemene ennå: Accounting system." in report
    assert not any(text in report for text in ERROR_TEXTS)
    assert not any(text in archive.read("data.json").decode() for text in ERROR_TEXTS)
    # when the database answers again and the backoff has passed
    monkeypatch.setenv(ENV, books.url)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources(now=later()) == 1
    # then a new package with its rows is sent, replacing the first
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert "not_searched" not in request.result
    assert request.result["supplemented"] == ["sql:accounting"]
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.DONE
    assert package_letters(request) == ["package_ready", "package_supplement"]
    supplement = smtp.body(smtp.last_to("kari@example.com"))
    assert "Accounting system" in supplement
    archive = download(portal, link_in(supplement))
    data = json.loads(archive.read("data.json"))
    customers = data["sources"]["sql:accounting"]["kinds"]["customers"]["records"]
    assert [c["customer_no"] for c in customers] == ["K-1001"]
    assert data["not_searched"] == []
    assert stored_packages() - files == {request.package_name}  # the first one is gone
    assert request.events.filter(kind=EventKind.PACKAGE_DELETED, detail__reason="supplement")
    # and nothing more is due
    assert services.retry_due_sources(now=later(60)) == 0


def test_portability_near_the_deadline_names_the_system_in_the_persons_language(
    portal, smtp, books, monkeypatch, django_capture_on_commit_callbacks
):
    # given the accounting database unreachable and a request two days from its deadline
    monkeypatch.setenv(ENV, UNREACHABLE)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="portability", lang="en")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    due_in(2)
    # when the retry runs and the database still fails
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources() == 1
    # then the package goes without it, and the English letter and report say so
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.events.filter(kind=EventKind.SOURCE_FAILED).count() == 2
    letter = smtp.body(smtp.last_to("kari@example.com"))
    assert "We searched these systems: The register." in letter
    assert "We could not search these systems yet: Accounting system." in letter
    assert not any(text in letter for text in ERROR_TEXTS)
    archive = download(portal, link_in(letter))
    report = _not_searched_said(archive, "Accounting system")
    assert "We could not search these systems yet: Accounting system." in report
    # when the database answers, the new package holds its portable rows only
    monkeypatch.setenv(ENV, books.url)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources(now=later()) == 1
    archive = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    kinds = json.loads(archive.read("data.json"))["sources"]["sql:accounting"]["kinds"]
    assert list(kinds) == ["customers"]


def test_a_source_given_up_on_still_lets_the_package_go_near_the_deadline(
    portal, smtp, books, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given a database that fails its only attempt: no retry is due any more
    settings.PERSONVERN = {**settings.PERSONVERN, "RIGHTS_SOURCE_ATTEMPTS": 1}
    monkeypatch.setenv(ENV, UNREACHABLE)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    request = DataSubjectRequest.objects.get()
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.FAILED
    # when the deadline is still far, nothing runs
    assert services.retry_due_sources(now=later(60 * 24)) == 0
    # when it comes within RIGHTS_PARTIAL_PACKAGE_DAYS
    settings.PERSONVERN = {**settings.PERSONVERN, "RIGHTS_PARTIAL_PACKAGE_DAYS": 3}
    due_in(3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources() == 1
    # then the package goes with what answered, naming the system not searched
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.result["not_searched"] == ["sql:accounting"]
    letter = smtp.body(smtp.last_to("kari@example.com"))
    assert "Vi kunne ikke søke i disse systemene ennå: Accounting system." in letter
    # and it is not run again while nothing is due
    assert services.retry_due_sources() == 0


def test_a_new_link_for_a_cleaned_up_package_is_refused_while_a_source_fails(
    portal, smtp, books, officer_actor, monkeypatch
):
    # given Kari's answered access request whose package the clean-up deleted
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    DataSubjectRequest.objects.update(package_name="")
    letters = len(smtp.to("kari@example.com"))
    # when staff ask for a new link while the accounting database is unreachable
    monkeypatch.setenv(ENV, UNREACHABLE)
    request = DataSubjectRequest.objects.get()
    with pytest.raises(DomainError) as refused:
        services.reissue_download_link(actor=officer_actor, request=request)
    # then it is refused with a code (503), nothing is stored and no letter goes out
    assert refused.value.code == RightsErrorCode.SOURCE_FAILED and refused.value.status == 503
    assert DataSubjectRequest.objects.get().package_name == ""
    assert len(smtp.to("kari@example.com")) == letters


def test_staff_try_a_system_given_up_on_again_and_the_rest_follows(
    portal, smtp, books, settings, customer_service, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from tests.api.conftest import assert_problem, session_client

    # given an access package that went without the accounting database, whose only
    # attempt was spent: nothing retries it by itself any more
    settings.PERSONVERN = {
        **settings.PERSONVERN, "RIGHTS_SOURCE_ATTEMPTS": 1, "RIGHTS_PARTIAL_PACKAGE_DAYS": 3
    }  # fmt: skip
    monkeypatch.setenv(ENV, UNREACHABLE)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    due_in(3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_due_sources() == 1
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.FAILED
    assert services.retry_due_sources(now=later(60 * 24)) == 0
    # when the database is back and staff try the failed systems again through the API
    monkeypatch.setenv(ENV, books.url)
    api = session_client(customer_service)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/requests/{request.pk}/retry-sources")
    # then the complete package follows, with the database's rows, and the timeline says who
    # tried again and how many systems
    assert response.status_code == 200, response.content
    request.refresh_from_db()
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.DONE
    assert request.result["supplemented"] == ["sql:accounting"]
    assert package_letters(request) == ["package_ready", "package_supplement"]
    archive = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    data = json.loads(archive.read("data.json"))
    assert data["not_searched"] == [] and "sql:accounting" in data["sources"]
    retried = request.events.filter(kind=EventKind.STARTED, detail__sources=1).get()
    assert retried.actor_label == customer_service.username
    # and once nothing has failed, trying again is refused with the reason
    refused = api.post(f"/api/requests/{request.pk}/retry-sources")
    assert_problem(refused, 409, code=RightsErrorCode.NO_FAILED_SOURCE)


def test_an_erasure_whose_database_was_given_up_on_is_finished_from_the_request_page(
    portal, smtp, books, settings, privacy_officer, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django.test import Client

    # given an erasure whose accounting database failed its only attempt: the request waits,
    # and its page offers to try the failed systems again
    settings.PERSONVERN = {**settings.PERSONVERN, "RIGHTS_SOURCE_ATTEMPTS": 1}
    monkeypatch.setenv(ENV, UNREACHABLE)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.FAILED
    client = Client()
    client.force_login(privacy_officer)
    page = client.get(f"/admin/rights/datasubjectrequest/{request.pk}/change/")
    assert b"/act/retry_sources/" in page.content
    # when the database is back and the privacy officer uses that action
    monkeypatch.setenv(ENV, books.url)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/admin/rights/datasubjectrequest/{request.pk}/act/retry_sources/")
    # then the erasure reaches the database and the request is answered
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.source_states["sql:accounting"]["status"] == SourceStatus.DONE
    assert request.status == RequestStatus.DONE
    assert sum(request.source_states["sql:accounting"]["report"]["erased"].values()) > 0
