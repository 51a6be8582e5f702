"""GDPR Art. 19: after an erasure or a restriction, the processors and recipients registered
for the activities that concern the person are sent a notice in their language (received by
a real SMTP server), recorded with the digest of what was sent; others are not."""

from __future__ import annotations

import hashlib

import pytest

from personvern.processing.choices import ActivityStatus
from personvern.rights.choices import EventKind
from personvern.rights.models import Art19Notice, Art19Recipient, DataSubjectRequest
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipients(activities):
    crm = activities["customer"].processors.get()
    told = Art19Recipient.objects.create(
        name="CRM Cloud Inc.", email="privacy@crm.example", language="en", processor=crm
    )
    auditor = Art19Recipient.objects.create(
        name="Revisjon AS", email="post@revisjon.example", language="nb"
    )
    auditor.activities.add(activities["customer"])
    unrelated = ProcessingActivityFactory(
        name="Payroll", subject_categories=["employee"], status=ActivityStatus.ACTIVE
    )
    payroll = Art19Recipient.objects.create(
        name="Lønn AS", email="post@lonn.example", language="nb"
    )
    payroll.activities.add(unrelated)
    return {"crm": told, "auditor": auditor, "payroll": payroll}


def test_after_an_erasure_the_recipients_concerned_are_told_in_their_language(
    portal, smtp, kari, recipients
):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    request = DataSubjectRequest.objects.get()
    # then the processor is told in English and the auditor in bokmål, naming the person
    notice = smtp.last_to("privacy@crm.example")
    subject, body = str(notice["Subject"]), smtp.body(notice)
    assert subject == f"Erasure of a person's data (GDPR Art. 19, {request.reference})"
    assert "kari@example.com" in body and "has erased the personal data" in body
    assert "art. 19" in str(smtp.last_to("post@revisjon.example")["Subject"])
    # and the payroll recipient, whose activity does not concern Kari, is not
    assert not smtp.to("post@lonn.example")
    # and each notice is recorded with the digest of what was sent, and the time it went
    notices = Art19Notice.objects.filter(request=request).select_related("letter", "recipient")
    assert sorted(n.recipient.name for n in notices) == ["CRM Cloud Inc.", "Revisjon AS"]
    crm_notice = notices.get(recipient=recipients["crm"])
    sent_body = smtp.body(notice).replace("\r\n", "\n")
    assert crm_notice.digest == hashlib.sha256(f"{subject}\n{sent_body}".encode()).hexdigest()
    assert crm_notice.letter.sent_at is not None
    event = request.events.get(kind=EventKind.RECIPIENTS_NOTIFIED)
    assert event.detail["recipients"] == 2


def test_a_restriction_is_notified_too_and_a_disabled_recipient_is_not(
    portal, smtp, kari, recipients
):
    Art19Recipient.objects.filter(pk=recipients["auditor"].pk).update(enabled=False)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction", lang="en")
    notice = smtp.last_to("privacy@crm.example")
    assert str(notice["Subject"]).startswith("Restriction of processing of a person's data")
    assert not smtp.to("post@revisjon.example")


def test_access_requests_notify_nobody(portal, smtp, kari, recipients):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    assert not Art19Notice.objects.exists()
    assert not smtp.to("privacy@crm.example")
