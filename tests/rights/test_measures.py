"""Restriction (Art. 18), objection (Art. 21), consent withdrawal (Art. 7(3)) and
rectification (Art. 16), each from the portal to the person's reply."""

from __future__ import annotations

from smtplib import SMTPRecipientsRefused

import pytest
from django.test import Client
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.consent.choices import Channel, ConsentAction, ContactReason
from personvern.consent.models import ConsentEvent, ConsentState
from personvern.consent.permissions import bulk_check, can_contact
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.register.models import Person
from personvern.register.services import update_person
from personvern.rights import letters, services
from personvern.rights.choices import EventKind, RequestStatus, RightsErrorCode
from personvern.rights.models import DataSubjectRequest
from personvern.rights.services.measures import uphold_legitimate_interest_objection
from tests.rights.conftest import give_consent

pytestmark = pytest.mark.django_db


def test_restriction_stops_marketing_and_staff_edits_until_lifted_after_notice(
    portal, smtp, kari, activities, customer_service, officer_actor
):
    # when Kari asks for restriction and confirms
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction")
    # then processing is restricted and she is told she will hear before it is lifted
    kari.refresh_from_db()
    assert kari.processing_restricted_since is not None
    reply = smtp.last_to("kari@example.com")
    assert "Behandlingen er begrenset" in str(reply["Subject"])
    assert "før begrensningen eventuelt oppheves" in smtp.body(reply)
    decision = can_contact(person=kari, channel=Channel.EMAIL, purpose=activities["newsletter"])
    assert not decision.allowed and decision.reason == ContactReason.RESTRICTED
    # and customer service may not edit her, while the privacy officer may
    with pytest.raises(DomainError) as refused:
        update_person(actor=Actor(user=customer_service), person=kari, changes={"role": "x"})
    assert refused.value.code == CoreErrorCode.PERMISSION_DENIED
    update_person(actor=officer_actor, person=kari, changes={"role": "CFO"})
    # when the privacy officer lifts it, she is told first, with the reason
    request = DataSubjectRequest.objects.get()
    before = len(smtp.messages)
    services.lift_restriction(
        actor=officer_actor, request=request, reason="Riktigheten er bekreftet."
    )
    kari.refresh_from_db()
    assert kari.processing_restricted_since is None
    notice = smtp.messages[before]
    assert "oppheves" in str(notice["Subject"]) and "Riktigheten er bekreftet." in smtp.body(notice)
    # (sent at once, not through the outbox, yet with the status link like every letter)
    assert "/portal/status/" in smtp.body(notice) and "?lang=nb" in smtp.body(notice)


def test_lifting_is_refused_to_customer_service(portal, smtp, kari, customer_service):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction")
    request = DataSubjectRequest.objects.get()
    with pytest.raises(DomainError) as refused:
        services.lift_restriction(actor=Actor(user=customer_service), request=request, reason="x")
    assert refused.value.code == CoreErrorCode.PERMISSION_DENIED
    kari.refresh_from_db()
    assert kari.processing_restricted_since is not None


def test_objection_to_direct_marketing_is_absolute_and_in_the_ledger(
    portal, smtp, kari, activities
):
    portal.submit_and_confirm(
        smtp,
        "kari@example.com",
        request_type="objection",
        objection_scopes=["direct_marketing"],
        lang="en",
    )
    event = ConsentEvent.objects.filter(person_id=kari.pk).order_by("-sequence").first()
    assert event is not None and event.action == ConsentAction.OBJECTED
    decision = can_contact(person=kari, channel=Channel.EMAIL, purpose=activities["sales"])
    assert not decision.allowed and decision.reason == ContactReason.OBJECTION
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    reply = smtp.last_to("kari@example.com")
    assert "Your objection is recorded" in str(reply["Subject"])
    assert "no longer receive marketing" in smtp.body(reply)


def test_objection_to_legitimate_interest_waits_for_the_privacy_officer(
    portal, smtp, kari, activities, officer_actor
):
    kari.category = "customer_contact"
    activities["sales"].subject_categories = ["customer_contact"]
    activities["sales"].save()
    portal.submit_and_confirm(
        smtp, "kari@example.com", request_type="objection", objection_scopes=["legitimate_interest"]
    )
    # then processing is restricted while the privacy officer assesses it
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    kari.refresh_from_db()
    assert kari.processing_restricted_since is not None
    assert "vurderer innsigelsen" in smtp.body(smtp.last_to("kari@example.com"))
    # when the privacy officer records compelling grounds
    services.decide_objection(
        actor=officer_actor, request=request, compelling_grounds="Pågående tvist om honorar."
    )
    # then the grounds are recorded and sent, and the interim restriction is lifted
    request.refresh_from_db()
    kari.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.compelling_grounds == "Pågående tvist om honorar."
    assert kari.processing_restricted_since is None
    assert kari.legitimate_interest_objection_since is None
    decision = can_contact(person=kari, channel=Channel.PHONE, purpose=activities["sales"])
    assert decision.reason != ContactReason.OBJECTION_UPHELD
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "tvingende berettigede grunner" in body and "Pågående tvist om honorar." in body


def test_upheld_objection_stops_legitimate_interest_for_good_and_only_that(
    portal, smtp, kari, activities, officer_actor
):
    # given Kari objects to processing on legitimate interest only (she consented to the
    # newsletter, which rests on consent)
    portal.submit_and_confirm(
        smtp, "kari@example.com", request_type="objection", objection_scopes=["legitimate_interest"]
    )
    request = DataSubjectRequest.objects.get()
    # when the privacy officer upholds it
    services.decide_objection(actor=officer_actor, request=request, compelling_grounds="")
    request.refresh_from_db()
    kari.refresh_from_db()
    assert request.result["upheld"] is True
    # then she is marked, with an audit entry naming the field and the officer
    assert kari.legitimate_interest_objection_since is not None
    entry = AuditEntry.objects.get(
        subject_id=kari.pk, fields=["legitimate_interest_objection_since"]
    )
    assert (entry.action, entry.actor_label) == ("update", officer_actor.label)
    # and, with the interim restriction lifted, every activity on legitimate interest is
    # refused for her, on any channel, in the single and the bulk check
    assert kari.processing_restricted_since is None
    for channel in (Channel.EMAIL, Channel.SMS, Channel.PHONE):
        decision = can_contact(person=kari, channel=channel, purpose=activities["sales"])
        assert (decision.allowed, decision.reason) == (False, ContactReason.OBJECTION_UPHELD)
    (bulk,) = bulk_check(
        addresses=["kari@example.com"], channel=Channel.EMAIL, purpose=activities["sales"]
    )
    assert (bulk.allowed, bulk.reason) == (False, ContactReason.OBJECTION_UPHELD)
    # but no objection to direct marketing was written for her: her consent still counts
    assert not ConsentEvent.objects.filter(person_id=kari.pk, action=ConsentAction.OBJECTED)
    assert not ConsentState.objects.filter(person=kari, purpose=None).exists()
    decision = can_contact(person=kari, channel=Channel.EMAIL, purpose=activities["newsletter"])
    assert (decision.allowed, decision.reason) == (True, ContactReason.CONSENT)
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "tar innsigelsen din til følge" in body
    assert "også markedsføring som bygger på den" in body
    # and a later objection upheld again keeps the first date
    first = kari.legitimate_interest_objection_since
    uphold_legitimate_interest_objection(actor=officer_actor, person=kari, request=request)
    kari.refresh_from_db()
    assert kari.legitimate_interest_objection_since == first


def test_upheld_objection_to_both_writes_the_direct_marketing_objection_once(
    portal, smtp, kari, activities, officer_actor
):
    # given Kari objects to direct marketing and to legitimate interest in one request
    portal.submit_and_confirm(
        smtp,
        "kari@example.com",
        request_type="objection",
        objection_scopes=["direct_marketing", "legitimate_interest"],
    )
    objections = ConsentEvent.objects.filter(person_id=kari.pk, action=ConsentAction.OBJECTED)
    # then the objection to direct marketing is in the ledger at once
    assert objections.count() == 1
    # when the privacy officer upholds the rest
    request = DataSubjectRequest.objects.get()
    services.decide_objection(actor=officer_actor, request=request, compelling_grounds="")
    # then it is not written again, and both stop
    assert objections.count() == 1
    kari.refresh_from_db()
    newsletter = can_contact(person=kari, channel=Channel.EMAIL, purpose=activities["newsletter"])
    sales = can_contact(person=kari, channel=Channel.EMAIL, purpose=activities["sales"])
    assert (newsletter.reason, sales.reason) == (
        ContactReason.OBJECTION,
        ContactReason.OBJECTION_UPHELD,
    )
    assert "du vil ikke motta markedsføring fra oss" in smtp.body(smtp.last_to("kari@example.com"))


def test_consent_withdrawal_of_chosen_purposes(portal, smtp, kari, activities):
    # given Kari also consented to sales calls by SMS
    from personvern.processing.choices import LegalBasis

    calls = activities["sales"]
    calls.legal_basis = LegalBasis.CONSENT
    calls.save()
    give_consent(kari, calls, channel="sms")
    # when she withdraws only the newsletter
    portal.submit_and_confirm(
        smtp,
        "kari@example.com",
        request_type="consent_withdrawal",
        consent_purposes=[activities["newsletter"].pk],
    )
    # then that consent is withdrawn in the ledger and the other stands
    newsletter = ConsentState.objects.get(person=kari, purpose=activities["newsletter"])
    assert newsletter.action == ConsentAction.WITHDRAWN
    assert ConsentState.objects.get(person=kari, purpose=calls).action == ConsentAction.GRANTED
    assert newsletter.event.evidence["form_id"].startswith("rights-request:PV-")
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "Newsletter" in body and "Sales follow-up" not in body


def test_consent_withdrawal_of_everything_by_default(portal, smtp, kari, activities):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="consent_withdrawal")
    assert not ConsentState.objects.filter(person=kari, action=ConsentAction.GRANTED).exists()
    assert DataSubjectRequest.objects.get().result["withdrawn"] == [
        {"purpose": "Newsletter", "channel": "email"}
    ]


def test_rectification_by_the_person_in_the_portal(portal, smtp, kari):
    response = portal.submit_and_confirm(smtp, "kari@example.com", request_type="rectification")
    assert b'id="profile-link"' in response.content
    # when she corrects her position in the self-service profile
    page = portal.client.get("/portal/profile/")
    assert page.status_code == 200 and b"Controller" in page.content
    with portal.capture(execute=True):
        saved = portal.client.post(
            "/portal/profile/",
            {
                "first_name": "Kari",
                "last_name": "Nordmann",
                "phone": "+4791234567",
                "position": "Økonomisjef",
                "role": "",
            },
        )
    assert saved.status_code == 200 and b'id="profile-saved"' in saved.content
    # then the register is corrected, audited, and she gets a confirmation
    assert Person.objects.get(pk=kari.pk).position == "Økonomisjef"
    entry = AuditEntry.objects.filter(object_type="register.person", action="update").latest("at")
    assert entry.actor_label == "system:portal" and entry.fields == ["position"]
    assert DataSubjectRequest.objects.get().status == RequestStatus.DONE
    reply = smtp.last_to("kari@example.com")
    assert "rettet" in str(reply["Subject"]) and "stilling" in smtp.body(reply)
    # and only the request that carried her data is linked to her in the IP security log
    from personvern.website.models import IpLogEntry

    linked = IpLogEntry.objects.filter(person=kari)
    assert [(e.method, e.path) for e in linked] == [("POST", "/portal/profile/")]
    # and the profile is closed afterwards
    assert portal.client.get("/portal/profile/").status_code == 403


def test_rectification_by_staff(portal, smtp, kari, customer_service):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="rectification", lang="en")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    staff = Actor(user=customer_service)
    update_person(actor=staff, person=kari, changes={"last_name": "Nordmann-Hansen"})
    with portal.capture(execute=True):
        services.complete_rectification(
            actor=staff, request=request, note="Your surname is now Nordmann-Hansen."
        )
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "Your surname is now Nordmann-Hansen." in body


def _refused_by_the_mail_server(*args, **kwargs):
    raise SMTPRecipientsRefused(
        {"kari@example.com": (550, b"5.1.1 <kari@example.com>: Recipient address rejected")}
    )


def _objection_awaiting_decision(portal, smtp) -> DataSubjectRequest:
    portal.submit_and_confirm(
        smtp, "kari@example.com", request_type="objection", objection_scopes=["legitimate_interest"]
    )
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    return request


def test_a_decision_whose_letter_cannot_be_sent_records_nothing_and_may_be_taken_again(
    portal, smtp, kari, activities, officer_actor, monkeypatch, caplog
):
    # given an objection awaiting the privacy officer, and a mail server that refuses
    request = _objection_awaiting_decision(portal, smtp)
    objections = ConsentEvent.objects.filter(person_id=kari.pk, action=ConsentAction.OBJECTED)
    real_send = letters.send_mail
    monkeypatch.setattr(letters, "send_mail", _refused_by_the_mail_server)
    # when the officer upholds the objection
    with pytest.raises(DomainError) as failed:
        services.decide_objection(actor=officer_actor, request=request, compelling_grounds="")
    # then it is a domain error that names no address, and nothing was recorded
    assert failed.value.code == RightsErrorCode.MAIL_FAILED and failed.value.status == 503
    assert "kari@example.com" not in str(failed.value.message)
    logged = [caplog.handler.format(r) for r in caplog.records if r.name.startswith("personvern")]
    assert logged and not any("kari@example.com" in line for line in logged)
    request.refresh_from_db()
    kari.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.objection_decided_at is None and "upheld" not in request.result
    assert not request.events.filter(kind=EventKind.OBJECTION_DECIDED).exists()
    assert not objections.exists()
    assert kari.processing_restricted_since is not None
    assert kari.legitimate_interest_objection_since is None
    # when the mail server is back, the decision is taken, once
    monkeypatch.setattr(letters, "send_mail", real_send)
    services.decide_objection(actor=officer_actor, request=request, compelling_grounds="")
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.result["upheld"] is True
    assert not objections.exists()  # the objection was to legitimate interest only
    kari.refresh_from_db()
    assert kari.legitimate_interest_objection_since is not None
    with pytest.raises(DomainError) as twice:
        services.decide_objection(actor=officer_actor, request=request, compelling_grounds="x")
    assert twice.value.code == RightsErrorCode.INVALID_STATE


def test_an_objection_decided_meanwhile_is_not_decided_again(
    portal, smtp, kari, activities, officer_actor, monkeypatch
):
    # given another officer decides while this one's letter is on its way
    request = _objection_awaiting_decision(portal, smtp)
    real_send_now = letters.send_now

    def decided_meanwhile(*args, **kwargs):
        real_send_now(*args, **kwargs)
        DataSubjectRequest.objects.filter(pk=request.pk).update(
            objection_decided_at=timezone.now(), compelling_grounds="The first decision."
        )

    monkeypatch.setattr(letters, "send_now", decided_meanwhile)
    # then the second decision is refused and the first stands
    with pytest.raises(DomainError) as refused:
        services.decide_objection(actor=officer_actor, request=request, compelling_grounds="")
    assert refused.value.code == RightsErrorCode.INVALID_STATE
    request.refresh_from_db()
    assert request.compelling_grounds == "The first decision."
    assert not request.events.filter(kind=EventKind.OBJECTION_DECIDED).exists()


def test_the_staff_page_shows_a_failed_letter_as_an_error_not_a_crash(
    portal, smtp, kari, activities, privacy_officer, monkeypatch
):
    request = _objection_awaiting_decision(portal, smtp)
    monkeypatch.setattr(letters, "send_mail", _refused_by_the_mail_server)
    officer = Client()
    officer.force_login(privacy_officer)
    page = officer.post(
        f"/admin/rights/datasubjectrequest/{request.pk}/act/decide/", {"compelling_grounds": ""}
    )
    assert page.status_code == 200 and b"errorlist" in page.content
    assert b"kari@example.com" not in page.content
    request.refresh_from_db()
    assert request.objection_decided_at is None


def test_lifting_is_only_offered_on_a_fulfilled_restriction_request(
    portal, smtp, kari, activities, officer_actor, privacy_officer
):
    # given an objection to legitimate interest, whose interim restriction is in place
    request = _objection_awaiting_decision(portal, smtp)
    sent = len(smtp.messages)
    # when the officer tries to lift the restriction through it
    with pytest.raises(DomainError) as refused:
        services.lift_restriction(actor=officer_actor, request=request, reason="Done.")
    # then it is refused, nothing is sent and the restriction stays
    assert refused.value.code == RightsErrorCode.NOT_A_RESTRICTION
    assert len(smtp.messages) == sent
    kari.refresh_from_db()
    assert kari.processing_restricted_since is not None
    # and the request page does not offer it
    officer = Client()
    officer.force_login(privacy_officer)
    page = officer.get(f"/admin/rights/datasubjectrequest/{request.pk}/change/")
    assert b"/act/lift/" not in page.content and b"/act/decide/" in page.content
