"""Letters: a failed send is logged without the address the mail server's error quotes."""

from __future__ import annotations

import logging
from smtplib import SMTPRecipientsRefused

import pytest

from personvern.core.actors import Actor
from personvern.rights import letters, services

pytestmark = pytest.mark.django_db


def test_a_refused_letter_is_logged_with_the_reference_and_error_class_only(
    controller, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # given a mail server that refuses the address, quoting it in its error
    def refused(*args, **kwargs):
        raise SMTPRecipientsRefused(
            {"kari@example.com": (550, b"5.1.1 <kari@example.com>: Recipient address rejected")}
        )

    monkeypatch.setattr(letters, "send_mail", refused)
    # when a request's acknowledgement is sent after the commit
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        request = services.submit_request(
            actor=Actor.for_system("portal"), request_type="access", email="kari@example.com"
        )
    # then the failure is logged with the letter, the reference and the class, and no address
    logged = [caplog.handler.format(r) for r in caplog.records if r.name == letters.__name__]
    assert len(logged) == 1
    assert "acknowledged" in logged[0] and request.reference in logged[0]
    assert "SMTPRecipientsRefused" in logged[0]
    assert "kari@example.com" not in logged[0]
