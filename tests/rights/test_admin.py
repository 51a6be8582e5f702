"""The staff UI: intake, the due lists, and the action pages, all through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_customer_service_enters_a_letter_and_the_officer_refuses_it(
    customer_service, privacy_officer, smtp, controller, django_capture_on_commit_callbacks
):
    staff = signed_in(customer_service)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            "/admin/rights/datasubjectrequest/add/",
            {
                "request_type": "access",
                "contact_email": "brev@example.com",
                "language": "nb",
                "received_channel": "letter",
                "details": "Brev datert 1. mars.",
            },
        )
    assert response.status_code == 302, response.content
    request = DataSubjectRequest.objects.get()
    assert request.received_by == customer_service
    assert request.status == RequestStatus.AWAITING_VERIFICATION
    assert "/portal/verify/" in smtp.body(smtp.last_to("brev@example.com"))
    page = staff.get(f"/admin/rights/datasubjectrequest/{request.pk}/change/")
    assert page.status_code == 200 and request.reference.encode() in page.content
    listing = staff.get("/admin/rights/datasubjectrequest/?due=due_soon")
    assert listing.status_code == 200
    # customer service cannot refuse; the privacy officer can
    assert (
        staff.get(f"/admin/rights/datasubjectrequest/{request.pk}/act/refuse/").status_code == 403
    )
    officer = signed_in(privacy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        done = officer.post(
            f"/admin/rights/datasubjectrequest/{request.pk}/act/refuse/",
            {"reason": "Identisk med forrige ukes forespørsel."},
        )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert "Identisk" in smtp.body(smtp.last_to("brev@example.com"))


def test_an_action_refused_by_the_service_shows_the_error(privacy_officer, controller):
    officer = signed_in(privacy_officer)
    officer.post(
        "/admin/rights/datasubjectrequest/add/",
        {
            "request_type": "access",
            "contact_email": "brev@example.com",
            "language": "en",
            "received_channel": "email",
        },
    )
    request = DataSubjectRequest.objects.get()
    page = officer.post(
        f"/admin/rights/datasubjectrequest/{request.pk}/act/rectified/", {"note": "Fixed."}
    )
    assert page.status_code == 200 and b"errorlist" in page.content
