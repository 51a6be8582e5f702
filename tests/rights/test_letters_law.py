"""What the letters say, read against the law: a refusal gives the reason and both remedies
(Art. 12(4)); an erasure reply never says "all" while anything is kept or pending and names
the record of the request with its retention (Art. 5(2)); the restriction letter says what
restriction still allows; the letters' labels come from the catalogue in the person's
language."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation

from personvern.consent.choices import Channel, ContactReason
from personvern.consent.permissions import can_contact
from personvern.core.actors import Actor
from personvern.processing.choices import ActivityStatus, CommunicationKind, LegalBasis
from personvern.retention.choices import TargetRecord, Trigger
from personvern.retention.periods import Period, describe
from personvern.rights import letters, services
from personvern.rights.models import DataSubjectRequest
from tests.factories import ProcessingActivityFactory
from tests.retention.factories import BookkeepingRecordFactory, RetentionRuleFactory

pytestmark = pytest.mark.django_db

COURTS = {"en": "take the matter to the courts", "nb": "bringe saken inn for domstolene"}


def _request_rule() -> None:
    RetentionRuleFactory(
        name="Answered requests",
        target=TargetRecord.DATA_SUBJECT_REQUESTS,
        trigger=Trigger.REQUEST_CLOSED,
        period_years=3,
        period_months=6,
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_refusal_gives_the_reason_the_complaint_and_the_courts(
    language, controller, officer_actor, smtp, django_capture_on_commit_callbacks
):
    # given a request in the person's language
    request = services.submit_request(
        actor=Actor.for_system("portal"),
        request_type="access",
        email="kari@example.com",
        language=language,
    )
    # when the privacy officer refuses it
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_request(actor=officer_actor, request=request, reason="Tjuende gang.")
    # then the letter has the reason, the authority to complain to and the courts
    body = smtp.body(smtp.last_to("kari@example.com"))
    assert "Tjuende gang." in body
    assert controller.supervisory_authority.name in body
    assert COURTS[language] in body
    # and the type of request is named from the catalogue in the person's language
    expected = {"nb": "innsyn i opplysningene dine", "en": "access to your data"}[language]
    assert expected in body


def test_erasure_with_nothing_kept_names_the_request_record_and_its_retention(
    portal, smtp, controller, activities
):
    from tests.factories import PersonFactory

    # given a retention rule for answered requests, and a person with nothing the law keeps
    _request_rule()
    PersonFactory(email="per@example.com")
    # when she asks for erasure (in English)
    portal.submit_and_confirm(smtp, "per@example.com", request_type="erasure", lang="en")
    reply = smtp.last_to("per@example.com")
    body = smtp.body(reply)
    # then the reply does not claim "all": the record of the request is kept, as proof,
    # for the rule's period
    assert not re.search(r"\ball\b", body)
    assert "record of this request" in body and "Article 5(2)" in body
    assert "3 years and 6 months after the request was answered" in body
    assert str(reply["Subject"]).startswith("Your data has been erased")


def test_partial_erasure_in_bokmal_names_what_is_kept_and_the_remedies(
    portal, smtp, kari, activities
):
    # given an invoice naming Kari that the Bookkeeping Act keeps, and the rule for requests
    _request_rule()
    BookkeepingRecordFactory(person=kari, document_date=timezone.localdate())
    # when she asks for erasure
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    body = smtp.body(smtp.last_to("kari@example.com"))
    # then the reply says partially, lists the kept record with its label from the catalogue,
    # names the request record's retention, and gives both remedies
    assert not re.search(r"\balle\b", body)
    assert "Ikke alt er slettet" in body
    assert "Regnskapsbilag" in body and "Bokføringsloven § 13" in body
    assert "3 år og 6 måneder etter at forespørselen ble besvart" in body
    assert COURTS["nb"] in body


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_erasure_reply_with_something_pending_is_partial(language, controller):
    # given a source that has not finished (a list of per-system outcomes, as sources give it)
    request = DataSubjectRequest.objects.create(
        request_type="erasure",
        contact_email="kari@example.com",
        language=language,
        reference="PV-TEST-0000-0001",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    context = letters.erasure_context(
        pending=[{"what": "Fakturasystemet", "reason": "venter på leverandøren"}],
        outcomes=[{"system": "Fakturasystemet", "outcome": "pending"}],
    )
    # when the reply is rendered
    subject, body = letters.render(request, "erased", context)
    # then it is a partial erasure, never "all", with what is pending named
    assert context["partial"]
    assert {"nb": "delvis", "en": "partially"}[language] in subject
    assert not re.search(r"\b(all|alle)\b", body)
    assert "Fakturasystemet" in body and COURTS[language] in body


def test_the_restriction_letter_says_service_messages_still_go(portal, smtp, kari, activities):
    # given an activity that sends service messages under the contract
    service = ProcessingActivityFactory(
        name="Invoices",
        purpose="Send invoices and reminders.",
        legal_basis=LegalBasis.CONTRACT,
        communication=CommunicationKind.SERVICE_MESSAGES,
        status=ActivityStatus.ACTIVE,
    )
    # when Kari asks for restriction (in English)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="restriction", lang="en")
    body = smtp.body(smtp.last_to("kari@example.com"))
    # then the letter says what restriction still allows, and it is what the rules do
    assert "are still sent" in body and "Article 18(2)" in body
    kari.refresh_from_db()
    decision = can_contact(person=kari, channel=Channel.EMAIL, purpose=service)
    assert decision.allowed and decision.reason == ContactReason.SERVICE_MESSAGE
    marketing = can_contact(person=kari, channel=Channel.EMAIL, purpose=activities["newsletter"])
    assert not marketing.allowed and marketing.reason == ContactReason.RESTRICTED


def test_periods_are_described_in_the_active_language():
    with translation.override("nb"):
        assert describe(Period(years=1)) == "1 år"
        assert describe(Period(years=3, months=6)) == "3 år og 6 måneder"
    with translation.override("en"):
        assert describe(Period(days=90)) == "90 days"
        assert describe(Period(years=1, months=1, days=1)) == "1 year, 1 month and 1 day"
