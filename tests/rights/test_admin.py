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


def test_staff_who_may_not_verify_cannot_verify_at_intake(
    controller, smtp, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    from personvern.accounts.models import User
    from tests.factories import UserFactory

    # given a staff member who may view and add requests but not verify them
    user = UserFactory(username="vikar")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="rights",
            codename__in=["view_datasubjectrequest", "add_datasubjectrequest"],
        )
    )
    staff = signed_in(User.objects.get(pk=user.pk))
    # then the intake form does not offer the note
    form = staff.get("/admin/rights/datasubjectrequest/add/")
    assert form.status_code == 200 and b'name="verification_note"' not in form.content
    # and a note posted anyway verifies nothing: the person is sent a link
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            "/admin/rights/datasubjectrequest/add/",
            {
                "request_type": "erasure",
                "contact_email": "brev@example.com",
                "language": "nb",
                "received_channel": "letter",
                "verification_note": "Trust me.",
            },
        )
    assert response.status_code == 302, response.content
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.AWAITING_VERIFICATION
    assert request.verification_note == ""
    assert "/portal/verify/" in smtp.body(smtp.last_to("brev@example.com"))


def test_staff_resend_the_verification_link_and_the_old_one_stops_working(
    customer_service, controller, smtp, portal, django_capture_on_commit_callbacks
):
    from tests.rights.conftest import link_in

    # given a request whose first link the person lost
    portal.submit(email="kari@example.com", request_type="access")
    first = link_in(smtp.body(smtp.last_to("kari@example.com")))
    request = DataSubjectRequest.objects.get()
    staff = signed_in(customer_service)
    page = staff.get(f"/admin/rights/datasubjectrequest/{request.pk}/change/")
    assert b"/act/resend/" in page.content
    # when staff send it again
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(f"/admin/rights/datasubjectrequest/{request.pk}/act/resend/", {})
    assert done.status_code == 302
    # then a new link arrives, the old one is void and the new one verifies
    second = link_in(smtp.body(smtp.last_to("kari@example.com")))
    assert second != first
    assert portal.client.post(first).status_code == 404
    portal.confirm(second)
    request.refresh_from_db()
    assert request.status not in (RequestStatus.AWAITING_VERIFICATION, RequestStatus.LAPSED)
    assert request.events.filter(kind="verification_resent").exists()
    # and a verified request is not offered, nor accepts, another link
    page = staff.get(f"/admin/rights/datasubjectrequest/{request.pk}/change/")
    assert b"/act/resend/" not in page.content
    again = staff.post(f"/admin/rights/datasubjectrequest/{request.pk}/act/resend/", {})
    assert again.status_code == 200 and b"errorlist" in again.content


def test_staff_complete_a_rectification_with_the_corrected_values(
    portal, smtp, kari, privacy_officer, django_capture_on_commit_callbacks
):
    # given Kari's verified rectification request
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="rectification", lang="en")
    request = DataSubjectRequest.objects.get()
    # when the officer completes it on the request page with her corrected phone number
    officer = signed_in(privacy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        done = officer.post(
            f"/admin/rights/datasubjectrequest/{request.pk}/act/rectified/",
            {"note": "Corrected as you asked.", "phone": "987 65 432", "last_name": ""},
        )
    # then the correction is carried to the register (normalised) and she is told
    assert done.status_code == 302, done.content
    kari.refresh_from_db()
    assert kari.phone == "+4798765432"
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert "Corrected as you asked." in smtp.body(smtp.last_to("kari@example.com"))
