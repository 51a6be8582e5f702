"""Portability straight to another controller (Art. 20(2)): an address that cannot be sent to
is refused at intake wherever it is entered, and a transfer that keeps failing ends in a
letter that says what happened and gives the download link instead."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from personvern.rights.choices import EventKind, RequestStatus
from personvern.rights.models import DataSubjectRequest
from tests.api.conftest import assert_problem, session_client, token_client
from tests.rights.conftest import link_in
from tests.rights.test_access import download
from tests.rights.test_admin import signed_in

pytestmark = pytest.mark.django_db

BAD_ADDRESSES = {
    "https://example.org:99999/x": "1 to 65535",
    "https://example.org:abc/x": "1 to 65535",
    "https://example.org:0/x": "1 to 65535",
    "https://[::1/x": "valid host name",
    "https://user:secret@example.org/x": "user name and password",
    "ftp://example.org/x": "https://",
    "https://exa mple.org/x": "valid host name",
}


@pytest.mark.parametrize(("url", "rule"), BAD_ADDRESSES.items())
def test_the_portal_refuses_an_address_that_cannot_be_sent_to(portal, smtp, kari, url, rule):
    # when a person asks for portability to an address nothing can be sent to
    response = portal.submit(
        email="kari@example.com", request_type="portability", destination_url=url, lang="en"
    )
    # then the form comes back with the rule beside the field, and nothing was stored or sent
    assert response.status_code == 200
    page = response.content.decode()
    assert rule in page
    assert not DataSubjectRequest.objects.exists()
    assert smtp.messages == []


@pytest.mark.parametrize("url", BAD_ADDRESSES)
def test_the_api_answers_a_problem_naming_destination_url(customer_service, controller, url):
    # given the website's token and a staff session
    for api, path, extra in (
        (token_client(customer_service), "/api/requests/submit", {}),
        (session_client(customer_service), "/api/requests", {"received_channel": "phone"}),
    ):
        # when either submits a portability request to a bad address
        response = api.post(
            path,
            {
                "request_type": "portability",
                "email": "kari@example.com",
                "destination_url": url,
                **extra,
            },
        )
        # then it is a 422 problem naming the field and the rule, and no request exists
        body = assert_problem(response, 422, field="destination_url", code="invalid_destination")
        assert body["errors"][0]["message"]
    assert not DataSubjectRequest.objects.exists()


def test_the_staff_ui_refuses_a_port_out_of_range(customer_service, smtp, controller):
    staff = signed_in(customer_service)
    response = staff.post(
        "/admin/rights/datasubjectrequest/add/",
        {
            "request_type": "portability",
            "contact_email": "brev@example.com",
            "language": "en",
            "received_channel": "letter",
            "destination_url": "https://example.org:99999/x",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "1 to 65535" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


@pytest.mark.parametrize("url", ["https://127.0.0.1/import", "https://[fd00::7]/x"])
def test_a_private_address_written_as_ip_is_refused_at_intake(customer_service, controller, url):
    response = token_client(customer_service).post(
        "/api/requests/submit",
        {"request_type": "portability", "email": "kari@example.com", "destination_url": url},
    )
    assert_problem(response, 422, field="destination_url", code="private_destination")
    assert not DataSubjectRequest.objects.exists()


class _Recipient(BaseHTTPRequestHandler):
    """Another controller's endpoint answering with the statuses queued, then 201."""

    statuses: list[int] = []
    received: list[bytes] = []

    def do_POST(self) -> None:
        _Recipient.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(_Recipient.statuses.pop(0) if _Recipient.statuses else 201)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def delivery_settings(settings) -> None:
    settings.PERSONVERN = {
        **settings.PERSONVERN,
        "RIGHTS_DELIVERY_SCHEMES": ["https", "http"],
        "RIGHTS_DELIVERY_ALLOW_PRIVATE": True,
        "RIGHTS_DELIVERY_ATTEMPTS": 3,
        "RIGHTS_DELIVERY_BACKOFF_SECONDS": 0,
        "RIGHTS_DELIVERY_TIMEOUT_SECONDS": 5,
    }


@pytest.fixture
def recipient(delivery_settings) -> Iterator[str]:
    _Recipient.statuses, _Recipient.received = [], []
    server = HTTPServer(("127.0.0.1", 0), _Recipient)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/import"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port(delivery_settings) -> str:
    """An address where nothing listens: every connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/import"


def _events(kind: EventKind) -> list[dict[str, object]]:
    return [dict(e.detail) for e in DataSubjectRequest.objects.get().events.filter(kind=kind)]


def test_a_refused_connection_ends_in_a_letter_with_the_download(portal, smtp, kari, closed_port):
    # when Kari asks for portability to an address where nothing listens
    portal.submit_and_confirm(
        smtp, "kari@example.com", request_type="portability", destination_url=closed_port
    )
    # then the request is done, with three attempts on the timeline and the failure recorded
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    assert [e["attempt"] for e in _events(EventKind.DELIVERY_ATTEMPT_FAILED)] == [1, 2, 3]
    [failed] = _events(EventKind.DELIVERY_FAILED)
    assert failed["attempts"] == 3 and failed["error"] == "connection_failed"
    assert not _events(EventKind.DELIVERED)
    assert request.result["delivery"]["delivered"] is False
    # and her letter (bokmål) says the transfer failed, how, and gives the download link
    letter = smtp.last_to("kari@example.com")
    assert "Vi fikk ikke sendt opplysningene dine" in str(letter["Subject"])
    body = smtp.body(letter)
    assert "vi prøvde 3 ganger" in body and "fikk ikke forbindelse" in body
    assert "kari@example.com" not in body and "Nordmann" not in body
    archive = download(portal, link_in(body))
    assert "person" in json.loads(archive.read("data.json"))["sources"]["register"]["kinds"]


def test_a_recipient_answering_500_gets_every_attempt_then_the_letter_says_so(
    portal, smtp, kari, recipient, customer_service
):
    # given a recipient that answers 500 every time
    _Recipient.statuses = [500, 500, 500]
    # when Kari asks (in English) for portability there
    portal.submit_and_confirm(
        smtp, "kari@example.com", request_type="portability", destination_url=recipient, lang="en"
    )
    # then it was tried three times, and the letter names the last status and the link
    assert len(_Recipient.received) == 3
    letter = smtp.last_to("kari@example.com")
    assert "We could not send your data" in str(letter["Subject"])
    body = smtp.body(letter)
    assert "we tried 3 times" in body and "HTTP status 500" in body
    assert "/portal/download/" in body
    # and staff see the failure on the request's timeline
    request = DataSubjectRequest.objects.get()
    detail = session_client(customer_service).get(f"/api/requests/{request.pk}").json()
    failed = [e for e in detail["events"] if e["kind"] == "delivery_failed"]
    assert failed and failed[0]["detail"]["status"] == 500
    assert detail["result"]["delivery"]["attempts"] == 3


def test_a_recipient_that_recovers_gets_the_data_on_a_later_attempt(portal, smtp, kari, recipient):
    # given a recipient that fails twice, then accepts
    _Recipient.statuses = [503, 500]
    portal.submit_and_confirm(
        smtp, "kari@example.com", request_type="portability", destination_url=recipient, lang="en"
    )
    # then the third attempt delivered it and the letter is the usual receipt
    assert len(_Recipient.received) == 3
    [delivered] = _events(EventKind.DELIVERED)
    assert delivered["attempts"] == 3 and delivered["status"] == 201
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "status 201" in body and "could not send" not in body


def test_a_rerun_after_a_dead_worker_makes_only_the_attempts_left(
    portal, smtp, kari, recipient, customer_service, django_capture_on_commit_callbacks
):
    # given a portability request whose job died after two failed attempts were recorded
    _Recipient.statuses = [500, 500, 500, 500]
    portal.submit(email="kari@example.com", request_type="portability", destination_url=recipient)
    request = DataSubjectRequest.objects.get()
    request.status = RequestStatus.IN_PROGRESS
    request.person = kari
    request.subject_id = kari.pk
    attempt = {
        "status": 500,
        "sent_at": "2026-01-01T10:00:00+00:00",
        "sha256": "0" * 64,
        "size": 1,
        "error": "http_status",
    }
    request.result = {"delivery_attempts": [attempt, attempt]}
    request.save()
    # when staff run the fulfilment again
    with django_capture_on_commit_callbacks(execute=True):
        response = session_client(customer_service).post(f"/api/requests/{request.pk}/rerun")
    assert response.status_code == 200, response.content
    # then only the third attempt was made, and the letter counts all three
    assert len(_Recipient.received) == 1
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "vi prøvde 3 ganger" in body and "HTTP-status 500" in body


def test_an_address_stored_before_validation_ends_in_the_letter_not_a_crash(
    portal, smtp, kari, delivery_settings, customer_service, django_capture_on_commit_callbacks
):
    # given a portability request whose address was stored before intake validated it
    portal.submit(email="kari@example.com", request_type="portability", lang="en")
    request = DataSubjectRequest.objects.get()
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        destination_url="https://example.org:99999/x",
        status=RequestStatus.IN_PROGRESS,
        person=kari,
        subject_id=kari.pk,
    )
    # when the fulfilment runs
    with django_capture_on_commit_callbacks(execute=True):
        response = session_client(customer_service).post(f"/api/requests/{request.pk}/rerun")
    assert response.status_code == 200, response.content
    # then one attempt was enough to know (the address itself is refused), and she is told
    [failed] = _events(EventKind.DELIVERY_FAILED)
    assert failed["attempts"] == 1 and failed["error"] == "invalid_address"
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "we tried 1 time," in body and "the address is not valid" in body
    assert DataSubjectRequest.objects.get().status == RequestStatus.DONE
