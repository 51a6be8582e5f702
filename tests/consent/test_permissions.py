from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from personvern.consent.choices import Channel, ConsentMethod, ContactReason, ReservationSource
from personvern.consent.permissions import bulk_check, can_contact, within_calling_hours
from personvern.consent.services import (
    Subject,
    import_reservations,
    object_to_direct_marketing,
    opt_out_of_everything,
    record_consent,
)
from personvern.core.errors import DomainError
from personvern.processing.choices import ActivityStatus, LegalBasis
from tests.consent.conftest import EVIDENCE, SYSTEM
from tests.factories import PersonFactory, ProcessingActivityFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
TUESDAY_NOON = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=OSLO)


def grant(person, purpose, text, channel=Channel.EMAIL, granted=True):
    return record_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=purpose,
        channel=channel,
        granted=granted,
        method=ConsentMethod.WEB_FORM,
        text=text,
        evidence=EVIDENCE,
    )


def reason(person, purpose, channel=Channel.EMAIL, at=TUESDAY_NOON):
    decision = can_contact(person=person, channel=channel, purpose=purpose, at=at)
    return decision.allowed, decision.reason


def test_consent_allows_and_its_absence_refuses(person, marketing, consent_text):
    assert reason(person, marketing) == (False, ContactReason.NO_CONSENT)
    event = grant(person, marketing, consent_text)
    decision = can_contact(person=person, channel=Channel.EMAIL, purpose=marketing)
    assert (decision.allowed, decision.reason, decision.event_id) == (
        True,
        ContactReason.CONSENT,
        event.pk,
    )
    # consent is per channel
    assert reason(person, marketing, Channel.SMS) == (False, ContactReason.NO_CONSENT)


def test_a_refusal_is_remembered(person, marketing, consent_text):
    grant(person, marketing, consent_text, granted=False)
    assert reason(person, marketing) == (False, ContactReason.REFUSED)


def test_existing_customer_exception_for_email_and_sms_only(own_services_marketing):
    customer = PersonFactory(category="customer_contact")
    lead = PersonFactory(category="lead")
    assert reason(customer, own_services_marketing, Channel.EMAIL) == (
        True,
        ContactReason.EXISTING_CUSTOMER,
    )
    assert reason(customer, own_services_marketing, Channel.SMS)[0]
    assert reason(customer, own_services_marketing, Channel.POST) == (
        False,
        ContactReason.NO_CONSENT,
    )
    assert reason(lead, own_services_marketing, Channel.EMAIL) == (False, ContactReason.NO_CONSENT)


def test_existing_customer_exception_needs_an_ongoing_relationship_and_an_own_address(
    own_services_marketing,
):
    # given customers whose relationship goes on, or ended, and whose address came from them
    # (or an interaction with them), from a list bought from a third party, or a public source
    day = TUESDAY_NOON.date()
    allowed = [
        PersonFactory(category="customer_contact"),
        PersonFactory(category="customer_contact", source="interaction"),
        PersonFactory(
            category="customer_contact", relationship_ended_on=day + datetime.timedelta(days=1)
        ),
    ]
    refused = [
        PersonFactory(
            category="customer_contact", relationship_ended_on=datetime.date(2019, 6, 30)
        ),
        PersonFactory(category="customer_contact", relationship_ended_on=day),
        PersonFactory(
            category="customer_contact",
            source="third_party",
            source_party="Leadbroker AS",
            source_reference="X-1",
        ),
        PersonFactory(category="customer_contact", source="public_source", source_party="Proff.no"),
    ]
    # then only an ongoing relationship with an address from the person passes, single or bulk
    for person in allowed:
        assert reason(person, own_services_marketing) == (True, ContactReason.EXISTING_CUSTOMER)
    for person in refused:
        assert reason(person, own_services_marketing) == (False, ContactReason.NO_CONSENT)
    results = bulk_check(
        addresses=[p.email for p in allowed + refused],
        channel=Channel.EMAIL,
        purpose=own_services_marketing,
        at=TUESDAY_NOON,
    )
    assert [r.allowed for r in results] == [True] * len(allowed) + [False] * len(refused)


@pytest.mark.parametrize(("channel", "address"), [(Channel.EMAIL, "email"), (Channel.SMS, "phone")])
def test_a_suppressed_other_address_refuses_the_person_single_and_bulk_alike(
    marketing, consent_text, channel, address
):
    # given Kari consented, and someone who shares her phone number or her e-mail address
    # (the other one than the campaign goes to) opted out of everything
    kari = PersonFactory(phone="+4791234567", email="kari@example.com")
    grant(kari, marketing, consent_text, channel=channel)
    shared = {"email": "phone", "phone": "email"}[address]
    twin = PersonFactory(**{shared: getattr(kari, shared)})
    if shared == "email":
        twin.email_key = kari.email_key
        twin.save()
    opt_out_of_everything(
        actor=SYSTEM, person=twin, method=ConsentMethod.WEB_FORM, evidence=EVIDENCE
    )
    # when she is checked alone and in a campaign list
    single = can_contact(person=kari, channel=channel, purpose=marketing, at=TUESDAY_NOON)
    (bulk,) = bulk_check(
        addresses=[getattr(kari, address)], channel=channel, purpose=marketing, at=TUESDAY_NOON
    )
    # then both refuse her for the same reason
    assert (single.allowed, single.reason) == (False, ContactReason.SUPPRESSED)
    assert (bulk.allowed, bulk.reason) == (single.allowed, single.reason)
    assert bulk.person_ids == (kari.pk,)


def test_an_upheld_objection_refuses_everything_on_legitimate_interest_only(
    marketing, consent_text, own_services_marketing
):
    # given a customer whose objection to legitimate-interest processing was upheld, who
    # consented to the newsletter
    customer = PersonFactory(
        category="customer_contact", legitimate_interest_objection_since=timezone.now()
    )
    grant(customer, marketing, consent_text)
    survey = ProcessingActivityFactory(
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        communication="service_messages",
        status=ActivityStatus.ACTIVE,
    )
    # then offers and even messages on legitimate interest are refused, single and bulk
    for purpose in (own_services_marketing, survey):
        assert reason(customer, purpose) == (False, ContactReason.OBJECTION_UPHELD)
        (bulk,) = bulk_check(
            addresses=[customer.email], channel=Channel.EMAIL, purpose=purpose, at=TUESDAY_NOON
        )
        assert (bulk.allowed, bulk.reason) == (False, ContactReason.OBJECTION_UPHELD)
    # and what rests on her consent goes on
    assert reason(customer, marketing) == (True, ContactReason.CONSENT)


def test_objection_blocks_every_marketing_channel(
    person, marketing, consent_text, own_services_marketing
):
    grant(person, marketing, consent_text)
    object_to_direct_marketing(
        actor=SYSTEM, person=person, method=ConsentMethod.WEB_FORM, evidence=EVIDENCE
    )
    for channel in Channel.marketing():
        assert reason(person, marketing, channel) == (False, ContactReason.OBJECTION)
    assert reason(person, own_services_marketing, Channel.EMAIL) == (False, ContactReason.OBJECTION)


def test_restriction_blocks_marketing(marketing, consent_text):
    person = PersonFactory(processing_restricted_since=timezone.now())
    grant(person, marketing, consent_text)
    assert reason(person, marketing) == (False, ContactReason.RESTRICTED)


def test_contract_messages_are_not_blocked_by_opt_out(person, marketing, consent_text, invoicing):
    grant(person, marketing, consent_text)
    result = opt_out_of_everything(
        actor=SYSTEM, person=person, method=ConsentMethod.WEB_FORM, evidence=EVIDENCE
    )
    assert result.withdrawn == 1 and sorted(result.suppressed) == ["email", "phone"]
    assert reason(person, marketing)[0] is False
    assert reason(person, invoicing) == (True, ContactReason.SERVICE_MESSAGE)


def test_suppressed_address_is_refused_even_for_a_new_record(person, marketing, consent_text):
    opt_out_of_everything(
        actor=SYSTEM, person=person, method=ConsentMethod.WEB_FORM, evidence=EVIDENCE
    )
    twin = PersonFactory(email=person.email.upper(), email_key=person.email_key, phone="")
    grant(twin, marketing, consent_text)
    assert reason(twin, marketing) == (False, ContactReason.SUPPRESSED)


@pytest.mark.parametrize("others", [0, 6], ids=["list shorter than the question", "longer"])
def test_the_bulk_check_finds_suppressed_addresses_however_long_the_list(marketing, others):
    # given an erased person, whose addresses only the suppression list remembers, and maybe
    # more suppressed people than the campaign asks about
    from personvern.consent.services import suppress_person
    from personvern.register.models import Person

    erased = PersonFactory()
    for person in [erased, *PersonFactory.create_batch(others)]:
        suppress_person(person=person, reason="test")
    Person.objects.filter(pk=erased.pk).delete()
    # when a campaign asks about the erased person's address and a stranger's
    results = bulk_check(
        addresses=[erased.email, "stranger@example.com"], channel=Channel.EMAIL, purpose=marketing
    )
    # then the erased person's address is refused as suppressed, the stranger's as unknown
    assert [(r.allowed, r.reason) for r in results] == [
        (False, ContactReason.SUPPRESSED),
        (False, ContactReason.UNKNOWN_PERSON),
    ]


def test_phone_marketing_respects_reservation_and_calling_hours(db):
    telemarketing = ProcessingActivityFactory(
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        communication="direct_marketing",
        status=ActivityStatus.ACTIVE,
    )
    person = PersonFactory(phone="+4741234567")
    assert reason(person, telemarketing, Channel.PHONE) == (
        True,
        ContactReason.TELEMARKETING_PERMITTED,
    )
    saturday = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=OSLO)
    evening = datetime.datetime(2026, 11, 24, 21, 0, tzinfo=OSLO)
    christmas = datetime.datetime(2026, 12, 25, 12, 0, tzinfo=OSLO)
    early = datetime.datetime(2026, 11, 24, 8, 59, tzinfo=OSLO)
    for at in (saturday, evening, christmas, early):
        assert reason(person, telemarketing, Channel.PHONE, at) == (
            False,
            ContactReason.OUTSIDE_CALLING_HOURS,
        )
    import_reservations(actor=SYSTEM, numbers=["412 34 567"], source=ReservationSource.REGISTRY)
    assert reason(person, telemarketing, Channel.PHONE) == (
        False,
        ContactReason.TELEMARKETING_RESERVATION,
    )


def test_calling_hours_boundaries():
    assert within_calling_hours(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=OSLO))
    assert within_calling_hours(datetime.datetime(2026, 11, 24, 20, 59, tzinfo=OSLO))
    assert not within_calling_hours(datetime.datetime(2026, 11, 29, 12, 0, tzinfo=OSLO))  # Sunday
    assert not within_calling_hours(datetime.datetime(2026, 5, 17, 12, 0, tzinfo=OSLO))


def test_inactive_or_non_marketing_purposes_answer_so(person, consent_text):
    draft = ProcessingActivityFactory(
        legal_basis=LegalBasis.CONSENT, communication="direct_marketing"
    )
    plain = ProcessingActivityFactory(status=ActivityStatus.ACTIVE)
    assert reason(person, draft) == (False, ContactReason.INACTIVE_PURPOSE)
    assert reason(person, plain) == (False, ContactReason.NOT_MARKETING_PURPOSE)


def test_no_address_and_bad_channel(marketing):
    person = PersonFactory(email="", email_key="")
    assert reason(person, marketing) == (False, ContactReason.NO_ADDRESS)
    with pytest.raises(DomainError) as caught:
        can_contact(person=person, channel="pigeon", purpose=marketing)
    assert caught.value.errors[0].field == "channel"


def test_bulk_check_agrees_with_single_checks(marketing, consent_text, own_services_marketing):
    consenting = PersonFactory()
    grant(consenting, marketing, consent_text)
    silent = PersonFactory()
    objector = PersonFactory()
    object_to_direct_marketing(
        actor=SYSTEM, person=objector, method=ConsentMethod.WEB_FORM, evidence=EVIDENCE
    )
    addresses = [
        consenting.email.upper(),
        silent.email,
        "not an address",
        "stranger@example.com",
        objector.email,
    ]
    results = bulk_check(
        addresses=addresses, channel=Channel.EMAIL, purpose=marketing, at=TUESDAY_NOON
    )
    assert [(r.index, r.allowed, r.reason) for r in results] == [
        (0, True, ContactReason.CONSENT),
        (1, False, ContactReason.NO_CONSENT),
        (2, False, ContactReason.INVALID_ADDRESS),
        (3, False, ContactReason.UNKNOWN_PERSON),
        (4, False, ContactReason.OBJECTION),
    ]
    for person, result in zip((consenting, silent), results, strict=False):
        assert reason(person, marketing)[1] == result.reason


def test_bulk_check_by_phone_and_size_limit(marketing, consent_text):
    person = PersonFactory(phone="+4790000001")
    grant(person, marketing, consent_text, channel=Channel.SMS)
    results = bulk_check(
        addresses=["900 00 001", "+47 900 00 002"], channel=Channel.SMS, purpose=marketing
    )
    assert [r.reason for r in results] == [ContactReason.CONSENT, ContactReason.UNKNOWN_PERSON]
    with pytest.raises(DomainError) as caught:
        bulk_check(addresses=["a@example.com"] * 100_001, channel=Channel.EMAIL, purpose=marketing)
    assert caught.value.code == "too_many_addresses"
