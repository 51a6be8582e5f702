"""Requests reach a REST API (a CRM standing in for a SaaS), served by a real HTTP server the
test starts: access lists its records, erasure deletes them page by page, restriction marks
them; a busy answer is retried with backoff, a refused token or a dead service leaves the
erasure waiting with the reason shown, never in a letter."""

from __future__ import annotations

import json

import pytest

from personvern.connectors import services as connectors
from personvern.connectors.http import parse_http
from personvern.demo.crm.service import Crm, source_spec
from personvern.register.models import Person
from personvern.rights import services
from personvern.rights.choices import EventKind, RequestStatus, SourceStatus
from personvern.rights.models import DataSubjectRequest
from tests.rights.conftest import link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db
ENV = "PV_TEST_CRM_TOKEN"
TOKEN = "crm-test-token"


def quick(url: str) -> dict[str, object]:
    return source_spec(url, ENV, rate_per_second=200, backoff_seconds=0.01)


@pytest.fixture
def crm(officer_actor, kari, ola, monkeypatch):
    service = Crm(token=TOKEN, page_size=2)  # pages of two: Kari's three records take two
    service.start()
    for n in range(3):
        service.add(email="kari@example.com", name="Kari Nordmann", note=f"Møte {n}")
    service.add(email="ola@example.com", name="Ola Nordmann", note="Ringte")
    monkeypatch.setenv(ENV, TOKEN)
    connectors.save_http_source(actor=officer_actor, spec=parse_http(quick(service.url)))
    yield service
    service.stop()


def test_access_lists_every_page_of_the_crm_records(portal, smtp, crm):
    crm.fail_next = 1  # the first call is answered 503: retried
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    archive = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    records = json.loads(archive.read("data.json"))["sources"]["http:crm"]["kinds"]["records"]
    assert sorted(r["note"] for r in records["records"]) == ["Møte 0", "Møte 1", "Møte 2"]
    assert crm.calls[:2] == ["GET /api/contacts", "GET /api/contacts"]  # 503, then the page


def test_erasure_deletes_the_crm_records_and_the_reply_counts_them(portal, smtp, crm):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure", lang="en")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    assert [c["email"] for c in crm.contacts.values()] == ["ola@example.com"]
    done = request.events.get(kind=EventKind.SOURCE_DONE, detail__source="http:crm")
    assert done.detail["erased"] == {"records": 3}
    assert "- CRM: 3 records erased." in smtp.body(smtp.last_to("kari@example.com"))


def test_restriction_marks_the_crm_records(portal, smtp, crm):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction")
    marked = {c["email"]: c["restricted"] for c in crm.contacts.values()}
    assert marked == {"kari@example.com": True, "ola@example.com": False}


def test_lifting_the_restriction_unmarks_the_crm_records(
    portal, smtp, crm, officer_actor, django_capture_on_commit_callbacks
):
    # given Kari's records marked restricted on her request
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    # when the privacy officer lifts the restriction
    with django_capture_on_commit_callbacks(execute=True):
        services.lift_restriction(actor=officer_actor, request=request, reason="Verified.")
    # then the CRM's lift call unmarks them, and the lift is recorded as done there, not by hand
    marked = {c["email"]: c["restricted"] for c in crm.contacts.values()}
    assert marked == {"kari@example.com": False, "ola@example.com": False}
    request.refresh_from_db()
    lifted = request.source_states["lift:http:crm"]
    assert lifted["status"] == SourceStatus.DONE
    assert lifted["report"] == {"restricted": False, "records": 3}


def test_a_refused_token_is_not_retried_and_the_erasure_waits(portal, smtp, crm, monkeypatch):
    monkeypatch.setenv(ENV, "wrong-token")
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.source_states["http:crm"]["status"] == SourceStatus.FAILING
    failed = request.events.get(kind=EventKind.SOURCE_FAILED)
    assert failed.detail["reason"] == "connection_failed:HTTPStatusError"
    assert crm.calls == ["GET /api/contacts"]  # a 401 is not tried again
    assert Person.objects.filter(email="kari@example.com").exists()  # the register waits
    assert len(crm.contacts) == 4


def test_a_service_that_is_down_leaves_the_erasure_waiting(portal, smtp, crm):
    crm.stop()
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    request = DataSubjectRequest.objects.get()
    failed = request.events.get(kind=EventKind.SOURCE_FAILED)
    assert failed.detail["reason"] == "connection_failed:ConnectError"
    assert not any("slettet" in s for s in smtp.subjects("kari@example.com"))
