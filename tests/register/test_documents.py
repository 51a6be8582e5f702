"""Uploaded documents are served to permitted staff only, never from a public URL."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from personvern.audit.models import AuditEntry
from personvern.register import services
from personvern.register.models import JobApplicationDocument
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def application(officer_actor):
    person = PersonFactory(category="job_applicant")
    return services.create_job_application(actor=officer_actor, person=person, position="Revisor")


def test_staff_upload_and_download_an_application_document(customer_service, application):
    client = logged_in(customer_service)
    upload = SimpleUploadedFile("cv-kari.pdf", b"%PDF-1.4 synthetic", "application/pdf")
    response = client.post(
        reverse("admin:register_jobapplicationdocument_add"),
        {"application": application.pk, "title": "CV", "file": upload},
    )
    assert response.status_code == 302
    document = JobApplicationDocument.objects.get()
    # the stored name carries ids only, not the uploaded (personal) file name
    assert "kari" not in document.file.name
    page = client.get(reverse("admin:register_jobapplicationdocument_change", args=[document.pk]))
    download_url = reverse("download_application_document", args=[document.pk])
    assert download_url in page.content.decode()
    response = client.get(download_url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 synthetic"
    view = AuditEntry.objects.get(action="view", object_type="register.jobapplicationdocument")
    assert view.subject_id == application.person_id


def test_people_without_permission_cannot_download(sales_user, officer_actor, application):
    document = services.add_application_document(
        actor=officer_actor,
        application=application,
        title="CV",
        file=SimpleUploadedFile("cv.pdf", b"x"),
    )
    url = reverse("download_application_document", args=[document.pk])
    assert logged_in(sales_user).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_agreement_document_is_downloadable_by_staff(privacy_officer, officer_actor):
    from personvern.processing.services import record_agreement
    from tests.factories import ProcessorFactory

    agreement = record_agreement(
        actor=officer_actor,
        processor=ProcessorFactory(),
        signed_on=datetime.date(2026, 1, 10),
        review_due=datetime.date(2027, 1, 10),
        document=SimpleUploadedFile("dpa.pdf", b"%PDF agreement"),
    )
    response = logged_in(privacy_officer).get(reverse("download_agreement", args=[agreement.pk]))
    assert b"".join(response.streaming_content) == b"%PDF agreement"
