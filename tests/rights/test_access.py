"""Access (Art. 15) and portability (Art. 20): from the portal to the package the person
downloads, and straight to another controller."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from personvern.audit.models import AuditEntry
from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest
from tests.factories import InteractionFactory
from tests.rights.conftest import link_in

pytestmark = pytest.mark.django_db


def download(portal, path: str) -> zipfile.ZipFile:
    page = portal.client.get(path)
    assert page.status_code == 200
    response = portal.client.post(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_access_request_from_portal_to_package(portal, smtp, kari, ola):
    # given Kari and Ola with similar data, each with an interaction
    InteractionFactory(person=kari, summary="Spurte om årsoppgjøret.")
    InteractionFactory(person=ola, summary="Ola spurte om lønn.")
    # when Kari asks for access in the portal and confirms by the link in the mail
    response = portal.submit(email="kari@example.com", request_type="access")
    assert response.status_code == 302
    ack = smtp.last_to("kari@example.com")
    assert "Vi har mottatt forespørselen din" in str(ack["Subject"])
    assert "innsyn i opplysningene dine" in smtp.body(ack)
    verified_page = portal.confirm(link_in(smtp.body(ack)))
    assert verified_page.status_code == 200
    # then she gets a confirmation and a single-use download link
    subjects = smtp.subjects("kari@example.com")
    assert any("bekreftet" in s for s in subjects)
    ready = smtp.last_to("kari@example.com")
    assert "Opplysningene dine er klare" in str(ready["Subject"])
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE and request.person == kari
    assert request.reference in str(ready["Subject"])
    # and the package holds all of her data and none of Ola's
    archive = download(portal, link_in(smtp.body(ready)))
    names = set(archive.namelist())
    assert {"data.json", "report.html", "csv/register/person.csv"} <= names
    assert "csv/register/interactions.csv" in names
    raw = archive.read("data.json").decode()
    data = json.loads(raw)
    assert data["schema_version"] == 1
    kinds = data["sources"]["register"]["kinds"]
    assert kinds["person"]["records"][0]["email"] == "kari@example.com"
    # including what restricts or stops processing of her data
    for flag in ("processing_restricted_since", "legitimate_interest_objection_since"):
        assert flag in kinds["person"]["records"][0]
    assert kinds["interactions"]["records"][0]["summary"] == "Spurte om årsoppgjøret."
    assert len(kinds["consent_events"]["records"]) == 1
    assert kinds["consent_events"]["records"][0]["text"] == "Ja til Newsletter."
    everything = raw + "".join(archive.read(n).decode() for n in names if n.endswith(".csv"))
    assert "ola@example.com" not in everything and "Ola" not in everything
    assert "+4791234568" not in everything
    # the report, in bokmål, explains purposes, bases, processors, transfers and the right
    # to complain to Datatilsynet
    report = archive.read("report.html").decode()
    assert 'lang="nb"' in report
    for expected in (
        "Customer relationship",
        "Avtale (art. 6 nr. 1 bokstav b)",
        "CRM Cloud Inc.",
        "overføring utenfor EØS",
        "3 years after the relationship ends",
        "Datatilsynet",
        "www.datatilsynet.no",
    ):
        assert expected in report, expected
    # and the link is spent
    again = portal.client.post(link_in(smtp.body(ready)))
    assert again.status_code == 404
    # every step is audited without personal data
    details = json.dumps(list(AuditEntry.objects.values_list("detail", flat=True)))
    assert "kari@example.com" not in details
    assert (
        AuditEntry.objects.filter(object_type="rights.datasubjectrequest", action="export").count()
        == 2
    )


def test_access_in_english_reports_in_english(portal, smtp, kari):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access", lang="en")
    ready = smtp.last_to("kari@example.com")
    assert "Your data is ready" in str(ready["Subject"])
    archive = download(portal, link_in(smtp.body(ready)))
    report = archive.read("report.html").decode()
    assert 'lang="en"' in report and "Contract (Art. 6(1)(b))" in report
    assert "complain to Datatilsynet" in report


def test_the_report_flags_privacy_shield_invalid_also_for_a_processor_in_the_eea(
    portal, smtp, kari, activities
):
    # given the customer relationship also uses an Irish processor still on Privacy Shield
    from personvern.processing.models import ProcessingActivity
    from tests.factories import ProcessorFactory

    irish = ProcessorFactory(name="Mail EU Ltd.", country="IE", transfer_mechanism="privacy_shield")
    ProcessingActivity.objects.get(name="Customer relationship").processors.add(irish)

    # when Kari gets her access package
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access", lang="en")
    report = (
        download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
        .read("report.html")
        .decode()
    )

    # then the Irish processor's basis is shown as invalid, though no transfer leaves the EEA
    irish_part = report[report.index("Mail EU Ltd.") :].split(";")[0].split("</dd>")[0]
    assert "INVALID basis" in irish_part and "outside the EEA" not in irish_part


class _Receiver(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Receiver.received.append(self.rfile.read(length))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def receiver(settings) -> Iterator[str]:
    """Another controller's endpoint on a local HTTP server (allowed in tests only)."""
    settings.PERSONVERN = {
        **settings.PERSONVERN,
        "RIGHTS_DELIVERY_SCHEMES": ["https", "http"],
        "RIGHTS_DELIVERY_ALLOW_PRIVATE": True,
    }
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/import"
    finally:
        server.shutdown()
        server.server_close()


def test_portability_is_sent_to_another_controller_with_a_receipt(portal, smtp, kari, receiver):
    # given Kari with a consent, an interaction (staff notes: not portable)
    InteractionFactory(person=kari, summary="Staff note.")
    # when she asks for portability to another controller's address
    portal.submit_and_confirm(
        smtp, "kari@example.com", request_type="portability", destination_url=receiver
    )
    # then the JSON was POSTed there, and the receipt is recorded and sent to her
    assert len(_Receiver.received) == 1
    sent = json.loads(_Receiver.received[0])
    kinds = sent["sources"]["register"]["kinds"]
    assert "consent_events" in kinds and "person" in kinds
    assert "interactions" not in kinds and "bookkeeping_records" not in kinds
    request = DataSubjectRequest.objects.get()
    receipt = request.result["delivery"]
    assert receipt["status"] == 201
    assert receipt["sha256"] == hashlib.sha256(_Receiver.received[0]).hexdigest()
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "status 201" in body and receipt["sha256"] in body
    # and the downloadable package is the portable part only
    archive = download(portal, link_in(body))
    data = json.loads(archive.read("data.json"))
    assert "interactions" not in data["sources"]["register"]["kinds"]


def test_portability_refuses_plain_http_and_private_addresses(portal, smtp, kari):
    response = portal.submit(
        email="kari@example.com",
        request_type="portability",
        destination_url="http://example.com/import",
    )
    assert response.status_code == 200
    assert "https://" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()
    from personvern.core.errors import DomainError
    from personvern.rights.delivery import resolve

    with pytest.raises(DomainError):
        resolve("https://127.0.0.1/import")


def test_the_report_and_the_portal_state_the_organisations_own_deadline(
    portal, smtp, kari, controller
):
    # given an organisation that answers within 14 days
    controller.request_deadline_days = 14
    controller.save()
    # then the portal says so
    page = portal.client.get("/portal/?lang=en").content.decode()
    assert "within 14 days" in page and "30 days" not in page
    # and so does the report in the package
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access", lang="en")
    archive = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    report = archive.read("report.html").decode()
    assert "answered within 14 days" in report and "30 days" not in report
