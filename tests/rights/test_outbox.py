"""Letters go through an outbox: a letter whose process died before sending it, or that the
mail server refused, is sent by the next run; one the server keeps refusing is given up on
and shown on the request's timeline. Real SMTP: a local server, and a closed port."""

from __future__ import annotations

import socket

import pytest

from personvern.core.actors import Actor
from personvern.rights import services
from personvern.rights.choices import EventKind
from personvern.rights.models import OutgoingLetter
from personvern.rights.services import outbox
from personvern.rights.tasks import send_pending_letters_task

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def submit(email: str):
    return services.submit_request(
        actor=Actor.for_system("portal"), email=email, request_type="access", language="en"
    )


def test_a_letter_whose_process_died_before_sending_goes_with_the_next_run(
    smtp, controller, django_capture_on_commit_callbacks
):
    # given a request whose acknowledgement was written, and its process died at commit
    # (the callbacks that would send it are captured and never run)
    with django_capture_on_commit_callbacks(execute=False):
        request = submit("ola@example.com")
    letter = OutgoingLetter.objects.get(request=request)
    assert letter.sent_at is None and not smtp.to("ola@example.com")
    # when the scheduler's job runs
    sent = send_pending_letters_task.call()
    # then the letter goes, once, and only what letter went and when stays
    assert sent == 1
    assert len(smtp.to("ola@example.com")) == 1
    letter.refresh_from_db()
    assert letter.sent_at is not None and (letter.recipient, letter.body) == ("", "")
    assert send_pending_letters_task.call() == 0
    assert len(smtp.to("ola@example.com")) == 1


def test_a_letter_the_mail_server_keeps_refusing_is_given_up_on_the_timeline(
    smtp, controller, settings, django_capture_on_commit_callbacks
):
    # given a mail server that is down (nothing listens on its port) and two attempts allowed
    server_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    settings.PERSONVERN = {**getattr(settings, "PERSONVERN", {}), "RIGHTS_LETTER_ATTEMPTS": 2}
    # when a request is received, then its letter is not sent but kept, with the error's class
    with django_capture_on_commit_callbacks(execute=True):
        request = submit("kari@example.com")
    letter = OutgoingLetter.objects.get(request=request)
    assert (letter.sent_at, letter.attempts, letter.last_error) == (
        None, 1, "ConnectionRefusedError"
    )  # fmt: skip
    assert letter.recipient == "kari@example.com"  # kept until it goes
    # when the next run is refused too, then the letter is given up on, and staff are told
    assert outbox.send_pending() == 0
    letter.refresh_from_db()
    assert letter.failed_at is not None and letter.attempts == 2
    failed = request.events.get(kind=EventKind.LETTER_FAILED)
    assert failed.detail == {"letter": letter.name, "attempts": 2,
                             "error": "ConnectionRefusedError"}  # fmt: skip
    # and a later run, with the server back, does not send a letter given up on
    settings.EMAIL_PORT = server_port
    assert outbox.send_pending() == 0
    assert not smtp.to("kari@example.com")


def test_staff_see_the_letters_of_a_request(smtp, controller, customer_service,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    from django.test import Client

    # given a request whose acknowledgement went
    with django_capture_on_commit_callbacks(execute=True):
        request = submit("per@example.com")
    # when customer service opens it, then its letters are listed with when they went
    staff = Client()
    staff.force_login(customer_service)
    html = staff.get(
        f"/admin/rights/datasubjectrequest/{request.pk}/change/",
        headers={"Accept-Language": "en"},
    ).content.decode()
    assert "Letters" in html and "acknowledged" in html
    assert "per@example.com" not in html.split("Letters", 1)[1]


def test_a_request_verified_by_staff_is_queued_before_its_letters_go(
    smtp, kari, officer_actor, settings, django_capture_on_commit_callbacks
):
    # given the database job queue, and a record of how many letters had gone when the
    # fulfilment job was queued
    from django_tasks.signals import task_enqueued

    from tests.rights.test_jobs import DB_TASKS

    settings.TASKS = DB_TASKS
    sent_when_queued: list[int] = []

    def count_letters(sender: object, **kwargs: object) -> None:
        sent_when_queued.append(len(smtp.to("kari@example.com")))

    task_enqueued.connect(count_letters)
    try:
        # when staff take a request down by phone and verify it at once
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_request(
                actor=officer_actor, request_type="access", email="kari@example.com",
                channel="phone", verification_note="Called back.", language="en",
            )  # fmt: skip
    finally:
        task_enqueued.disconnect(count_letters)
    # then the job was queued before any letter went (a slow mail server holds up no work),
    # and both letters went afterwards, in the order they were written
    assert sent_when_queued == [0]
    names = list(OutgoingLetter.objects.order_by("pk").values_list("name", "sent_at"))
    assert [name for name, _sent in names] == ["acknowledged", "verified"]
    assert all(sent is not None for _name, sent in names)
    assert len(smtp.to("kari@example.com")) == 2
