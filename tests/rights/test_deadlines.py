"""Deadlines: due date, extension by the privacy officer within its limits, refusal, and the
reminders staff get before the due date."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from personvern.core.dates import add_months
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.rights import selectors, services
from personvern.rights.choices import EventKind, RequestStatus, RightsErrorCode
from personvern.rights.models import DataSubjectRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _received(days_ago: int, **kwargs) -> DataSubjectRequest:
    request = services.submit_request(
        actor=Actor.for_system("portal"), request_type="access", email="kari@example.com", **kwargs
    )
    received = timezone.now() - datetime.timedelta(days=days_ago)
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        received_at=received, due_on=services.due_on(received)
    )
    request.refresh_from_db()
    return request


def test_due_date_is_received_plus_the_organisations_deadline(controller):
    request = services.submit_request(
        actor=Actor.for_system("portal"), request_type="access", email="kari@example.com"
    )
    received = timezone.localdate(request.received_at)
    assert request.due_on == min(received + datetime.timedelta(days=30), add_months(received, 1))
    controller.request_deadline_days = 14
    controller.save()
    shorter = services.submit_request(
        actor=Actor.for_system("portal"), request_type="access", email="kari@example.com"
    )
    assert shorter.due_on == timezone.localdate() + datetime.timedelta(days=14)


def test_extension_up_to_two_months_with_reason_told_at_once(
    controller, officer_actor, smtp, django_capture_on_commit_callbacks
):
    request = _received(10)
    too_far = request.due_on.replace(day=1) + datetime.timedelta(days=95)
    with pytest.raises(DomainError) as refused:
        services.extend_deadline(actor=officer_actor, request=request, until=too_far, reason="x")
    assert refused.value.code == RightsErrorCode.EXTENSION_TOO_LONG
    with pytest.raises(DomainError) as no_reason:
        services.extend_deadline(
            actor=officer_actor,
            request=request,
            until=request.due_on + datetime.timedelta(days=30),
            reason=" ",
        )
    assert no_reason.value.code == RightsErrorCode.REASON_REQUIRED
    until = request.due_on + datetime.timedelta(days=45)
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_deadline(
            actor=officer_actor, request=request, until=until, reason="Mange arkiver må gjennomgås."
        )
    request.refresh_from_db()
    assert request.deadline == until and request.extended_until == until
    letter = smtp.last_to("kari@example.com")
    body = smtp.body(letter)
    assert "forlenget" in body and "Mange arkiver må gjennomgås." in body
    assert request.events.filter(kind=EventKind.EXTENDED).exists()
    entry = AuditEntry.objects.filter(object_type="rights.datasubjectrequest").latest("at")
    assert "Mange" not in str(entry.detail)


def test_extension_is_refused_after_the_first_due_date(controller, officer_actor):
    request = _received(31)
    with pytest.raises(DomainError) as refused:
        services.extend_deadline(
            actor=officer_actor,
            request=request,
            until=timezone.localdate() + datetime.timedelta(days=20),
            reason="Too late",
        )
    assert refused.value.code == RightsErrorCode.EXTENSION_TOO_LATE


def test_only_the_privacy_officer_extends_or_refuses(controller, customer_service):
    request = _received(1)
    staff = Actor(user=customer_service)
    for call in (
        lambda: services.extend_deadline(
            actor=staff,
            request=request,
            until=request.due_on + datetime.timedelta(days=5),
            reason="x",
        ),
        lambda: services.refuse_request(actor=staff, request=request, reason="x"),
    ):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == CoreErrorCode.PERMISSION_DENIED


def test_refusal_is_recorded_and_sent_with_the_reason(
    controller, officer_actor, smtp, django_capture_on_commit_callbacks
):
    request = _received(1, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_request(
            actor=officer_actor, request=request, reason="The same request every day for 40 days."
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "manifestly unfounded or excessive" in body
    assert "The same request every day for 40 days." in body and "Datatilsynet" in body


def test_due_soon_and_overdue_lists_and_daily_reminders(
    controller, privacy_officer, smtp, django_capture_on_commit_callbacks
):
    privacy_officer.email = "personvernombud@numeri.example"
    privacy_officer.save()
    UserFactory(username="not-staff-of-requests", email="other@numeri.example")
    fresh, soon, late = _received(1), _received(26), _received(35)
    assert list(selectors.overdue()) == [late]
    assert list(selectors.due_soon(7)) == [soon]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 2
    reminder = smtp.last_to("personvernombud@numeri.example")
    body = smtp.body(reminder)
    assert soon.reference in body and late.reference in body and fresh.reference not in body
    assert "kari@example.com" not in body
    assert not smtp.to("other@numeri.example")
    # a rerun on the same day sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 0


def test_a_reminder_the_mail_server_refused_is_sent_again_on_the_next_run(
    controller, privacy_officer, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    from personvern.rights import letters

    privacy_officer.email = "personvernombud@numeri.example"
    privacy_officer.save()
    soon = _received(26)
    # given the mail server is down this morning
    real_send = letters.send_mail

    def down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(letters, "send_mail", down)
    # when the reminders run, nothing is sent and nothing is marked as reminded
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 0
    soon.refresh_from_db()
    assert soon.last_reminded_on is None
    assert not soon.events.filter(kind=EventKind.REMINDED).exists()
    # and once it is back, the next run sends the reminder
    monkeypatch.setattr(letters, "send_mail", real_send)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 1
    assert soon.reference in smtp.body(smtp.last_to("personvernombud@numeri.example"))
    soon.refresh_from_db()
    assert soon.last_reminded_on == timezone.localdate()


def test_the_reminder_job_is_registered_with_the_scheduler():
    from personvern.scheduling.registry import JOBS

    job = JOBS["rights-due-reminders"]
    assert job.task_path == "personvern.rights.tasks.send_due_reminders_task"
    assert job.daily_at == datetime.time(6, 30)


@pytest.mark.parametrize(
    ("received", "due", "latest"),
    [
        (datetime.date(2027, 1, 31), datetime.date(2027, 2, 28), datetime.date(2027, 4, 30)),
        (datetime.date(2027, 2, 1), datetime.date(2027, 3, 1), datetime.date(2027, 5, 1)),
        (datetime.date(2028, 2, 29), datetime.date(2028, 3, 29), datetime.date(2028, 5, 29)),
        (datetime.date(2027, 4, 30), datetime.date(2027, 5, 30), datetime.date(2027, 7, 30)),
    ],
)
def test_due_and_latest_extension_count_calendar_months_from_receipt(
    controller, officer_actor, received, due, latest
):
    # given the seed's promise of 30 days and a request received on ``received`` at noon
    received_at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(12)))
    assert services.due_on(received_at) == due
    request = _received(0)
    DataSubjectRequest.objects.filter(pk=request.pk).update(received_at=received_at, due_on=due)
    request.refresh_from_db()
    # when the privacy officer extends one day past three months from receipt
    with pytest.raises(DomainError) as refused:
        services.extend_deadline(
            actor=officer_actor,
            request=request,
            until=latest + datetime.timedelta(days=1),
            reason="Many archives to search",
        )
    # then it is refused, and three months to the day is accepted
    assert refused.value.code == RightsErrorCode.EXTENSION_TOO_LONG
    extended = services.extend_deadline(
        actor=officer_actor, request=request, until=latest, reason="Many archives to search"
    )
    assert extended.deadline == latest
