"""The API: intake from the firm's website by token, and the staff's list, detail and
actions, with problem details for bad input."""

from __future__ import annotations

import datetime

import pytest

from personvern.audit.models import AuditEntry
from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest
from tests.api.conftest import assert_problem, session_client, token_client

pytestmark = pytest.mark.django_db


def test_the_website_submits_by_token_and_the_person_verifies(
    customer_service, smtp, kari, portal, django_capture_on_commit_callbacks
):
    api = token_client(customer_service)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/requests/submit",
            {"request_type": "access", "email": "kari@example.com", "language": "en"},
        )
    assert response.status_code == 202
    assert response.json()["status"] == "received"
    request = DataSubjectRequest.objects.get()
    assert request.received_channel == "api" and request.status == "awaiting_verification"
    assert "confirm that you sent it" in smtp.body(smtp.last_to("kari@example.com"))


def test_bad_input_is_a_problem_naming_the_field(customer_service, controller):
    api = token_client(customer_service)
    response = api.post("/api/requests/submit", {"request_type": "everything", "email": "nope"})
    body = assert_problem(response, 422, field="request_type", code="invalid_type")
    assert {"field": "email", "code": "invalid_email"} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]
    unknown = api.post(
        "/api/requests/submit", {"request_type": "access", "email": "a@b.no", "colour": "blue"}
    )
    assert_problem(unknown, 422, field="colour", code="extra_forbidden")


def test_staff_enter_a_phone_request_verified_with_a_note_and_act_on_it(
    privacy_officer, customer_service, smtp, kari, django_capture_on_commit_callbacks
):
    api = session_client(customer_service)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/requests",
            {
                "request_type": "restriction",
                "email": "kari@example.com",
                "received_channel": "phone",
                "verification_note": "Called from the number we hold.",
            },
        )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == RequestStatus.VERIFIED
    # the fulfilment ran once the request committed
    created = api.get(f"/api/requests/{response.json()['id']}").json()
    assert created["status"] == RequestStatus.DONE
    assert created["verification_method"] == "staff"
    kinds = [e["kind"] for e in created["events"]]
    assert kinds[:3] == ["submitted", "letter", "verified"] and "restricted" in kinds
    # the list is paginated and has no contact details; the detail view is audited
    listed = api.get("/api/requests", {"due": "due_soon"}).json()
    assert listed["count"] == 0
    listed = api.get("/api/requests").json()
    assert listed["count"] == 1 and "contact_email" not in listed["items"][0]
    api.get(f"/api/requests/{created['id']}")
    assert AuditEntry.objects.filter(
        action="view", object_type="rights.datasubjectrequest", detail__via="api"
    ).exists()
    # customer service may not lift the restriction; the privacy officer may
    refused = api.post(f"/api/requests/{created['id']}/lift-restriction", {"reason": "x"})
    assert_problem(refused, 403, code="permission_denied")
    officer = session_client(privacy_officer)
    lifted = officer.post(
        f"/api/requests/{created['id']}/lift-restriction", {"reason": "Accuracy confirmed."}
    )
    assert lifted.status_code == 200
    kari.refresh_from_db()
    assert kari.processing_restricted_since is None


def test_extension_through_the_api_and_its_limits(privacy_officer, controller, smtp):
    officer = session_client(privacy_officer)
    created = officer.post(
        "/api/requests",
        {"request_type": "access", "email": "x@example.com", "received_channel": "letter"},
    ).json()
    due = datetime.date.fromisoformat(created["due_on"])
    too_long = officer.post(
        f"/api/requests/{created['id']}/extend",
        {"until": (due + datetime.timedelta(days=70)).isoformat(), "reason": "Big archive"},
    )
    assert_problem(too_long, 422, field="until", code="extension_too_long")
    ok = officer.post(
        f"/api/requests/{created['id']}/extend",
        {"until": (due + datetime.timedelta(days=30)).isoformat(), "reason": "Big archive"},
    )
    assert ok.status_code == 200
    assert ok.json()["deadline"] == (due + datetime.timedelta(days=30)).isoformat()


def test_the_auditor_reads_but_does_not_act(auditor, privacy_officer, controller):
    created = (
        session_client(privacy_officer)
        .post(
            "/api/requests",
            {"request_type": "access", "email": "x@example.com", "received_channel": "email"},
        )
        .json()
    )
    api = session_client(auditor)
    assert api.get("/api/requests").status_code == 200
    assert_problem(api.post(f"/api/requests/{created['id']}/refuse", {"reason": "x"}), 403)
    assert_problem(
        api.post("/api/requests/submit", {"request_type": "access", "email": "a@example.com"}), 403
    )


def _website_user():
    """The website's API user: it may add requests and nothing else."""
    from django.contrib.auth.models import Permission

    from personvern.accounts.models import User
    from tests.factories import UserFactory

    user = UserFactory(username="website")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="rights", codename="add_datasubjectrequest")
    )
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


def test_a_token_that_may_only_add_requests_cannot_verify_one_with_a_note(controller, smtp, kari):
    # given the website's token, which may add requests but not verify them
    api = token_client(_website_user())
    # when it enters a request with a verification note
    response = api.post(
        "/api/requests",
        {
            "request_type": "erasure",
            "email": "kari@example.com",
            "received_channel": "phone",
            "verification_note": "Trust me.",
        },
    )
    # then it is refused as problem details naming the note, and nothing is recorded
    assert_problem(response, 403, field="verification_note", code="permission_denied")
    assert not DataSubjectRequest.objects.exists()
    # while without a note the request is received and waits for the person's confirmation
    without = api.post(
        "/api/requests",
        {"request_type": "erasure", "email": "kari@example.com", "received_channel": "phone"},
    )
    assert without.status_code == 201, without.content
    assert without.json()["status"] == RequestStatus.AWAITING_VERIFICATION


def test_staff_choose_only_among_the_people_with_the_requests_address(
    customer_service, portal, smtp, controller, activities
):
    from tests.factories import PersonFactory

    # given two people sharing an address, and a stranger
    first = PersonFactory(email="felles@example.com")
    PersonFactory(email="felles@example.com")
    stranger = PersonFactory(email="annen@example.com")
    portal.submit_and_confirm(smtp, "felles@example.com", request_type="access")
    request = DataSubjectRequest.objects.get()
    assert request.person is None and request.status == RequestStatus.VERIFIED
    api = session_client(customer_service)
    # when staff choose the stranger, it is refused naming the field
    refused = api.post(f"/api/requests/{request.pk}/match-person", {"person_id": stranger.pk})
    assert_problem(refused, 422, field="person_id", code="not_a_match")
    request.refresh_from_db()
    assert request.person is None
    # and one of the people with the address is accepted
    chosen = api.post(f"/api/requests/{request.pk}/match-person", {"person_id": first.pk})
    assert chosen.status_code == 200, chosen.content
    request.refresh_from_db()
    assert request.person == first


def test_staff_give_the_corrections_through_the_api_and_a_wrong_value_is_named(
    customer_service, smtp, kari, django_capture_on_commit_callbacks
):
    api = session_client(customer_service)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/requests",
            {
                "request_type": "rectification",
                "email": "kari@example.com",
                "received_channel": "phone",
                "verification_note": "Called from the number we hold.",
            },
        ).json()
    url = f"/api/requests/{created['id']}/complete-rectification"
    # a phone number that is not one is refused, naming the field
    refused = api.post(url, {"note": "Fixed.", "changes": {"phone": "12"}})
    assert_problem(refused, 422, code="invalid_phone")
    assert [e["field"] for e in refused.json()["errors"]] == ["phone"]
    # the corrected surname is carried out and the person told
    with django_capture_on_commit_callbacks(execute=True):
        done = api.post(
            url, {"note": "Your surname is corrected.", "changes": {"last_name": "Berg"}}
        )
    assert done.status_code == 200, done.content
    assert api.get(f"/api/requests/{created['id']}").json()["status"] == RequestStatus.DONE
    kari.refresh_from_db()
    assert kari.last_name == "Berg"
    assert "Your surname is corrected." in smtp.body(smtp.last_to("kari@example.com"))
