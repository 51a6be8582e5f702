from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from personvern.audit.models import AuditEntry
from personvern.consent import ledger
from personvern.consent.choices import Channel, ConsentAction, ConsentMethod, ContactReason
from personvern.consent.models import (
    ConsentEvent,
    ConsentState,
    ConsentText,
    ImmutableError,
    SuppressionEntry,
)
from personvern.consent.permissions import can_contact
from personvern.consent.services import (
    Subject,
    object_to_direct_marketing,
    opt_out_of_everything,
    publish_text,
    record_consent,
    withdraw_consent,
    withdraw_objection,
)
from personvern.consent.verification import VerifyResult, verify
from personvern.core.errors import DomainError
from tests.consent.conftest import EVIDENCE, SYSTEM

pytestmark = pytest.mark.django_db


def grant(person, purpose, text, channel=Channel.EMAIL):
    return record_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=purpose,
        channel=channel,
        granted=True,
        method=ConsentMethod.WEB_FORM,
        text=text,
        evidence=EVIDENCE,
    )


def test_consent_and_withdrawal_round_trip(person, marketing, consent_text):
    # given a consent given through a web form
    event = grant(person, marketing, consent_text)
    # then it points at the exact text, with masked evidence, and the check answers yes
    assert event.text == consent_text and event.text.sha256 == ledger.text_digest(consent_text.text)
    assert event.evidence["masked_ip"] == "203.0.113.0"
    assert "203.0.113.77" not in str(event.evidence)
    assert can_contact(person=person, channel=Channel.EMAIL, purpose=marketing).allowed
    # when it is withdrawn, then a check right after answers no, naming the withdrawal
    withdrawal = withdraw_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=marketing,
        channel=Channel.EMAIL,
        method=ConsentMethod.WEB_FORM,
        evidence=EVIDENCE,
    )
    decision = can_contact(person=person, channel=Channel.EMAIL, purpose=marketing)
    assert (decision.allowed, decision.reason, decision.event_id) == (
        False,
        ContactReason.OPTED_OUT,
        withdrawal.pk,
    )
    # and the ledger holds both, chained
    assert list(ConsentEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        ConsentAction.GRANTED,
        ConsentAction.WITHDRAWN,
    ]
    assert withdrawal.prev_hash == event.hash
    assert ConsentState.objects.get().action == ConsentAction.WITHDRAWN
    assert verify().ok


def test_a_consent_names_the_privacy_notice_in_effect_when_it_was_given(
    person, marketing, consent_text
):
    import datetime

    from django.utils import timezone

    from personvern.consent.choices import TextKind
    from personvern.consent.services import publish_text

    def publish_notice(text, days_ago):
        return publish_text(
            actor=SYSTEM, kind=TextKind.PRIVACY_NOTICE, slug="privacy-notice", language="nb",
            title="Personvernerklæring", text=text,
            effective_from=timezone.now() - datetime.timedelta(days=days_ago),
        )  # fmt: skip

    # given a consent given before any notice was published: it names none
    assert "privacy_notice" not in grant(person, marketing, consent_text).evidence
    # given the first notice, and a second one effective later (but already in effect)
    first = publish_notice("Versjon 1 av erklæringen.", days_ago=10)
    second = publish_notice("Versjon 2 av erklæringen.", days_ago=1)
    # and an English notice, which a Norwegian consent text does not point at
    publish_text(actor=SYSTEM, kind=TextKind.PRIVACY_NOTICE, slug="privacy-notice",
                 language="en", title="Privacy notice", text="English.")  # fmt: skip

    # when the person consents now
    event = grant(person, marketing, consent_text)

    # then the evidence, part of the hashed event, names the notice in effect in its language
    assert event.evidence["privacy_notice"] == {
        "id": second.pk,
        "version": second.version,
        "sha256": second.sha256,
    }
    assert first.pk != second.pk
    assert verify().ok


def test_withdrawing_a_consent_that_does_not_exist_is_answered_clearly(person, marketing):
    with pytest.raises(DomainError) as caught:
        withdraw_consent(
            actor=SYSTEM,
            subject=Subject(person=person),
            purpose=marketing,
            channel=Channel.SMS,
            method=ConsentMethod.WEB_FORM,
            evidence=EVIDENCE,
        )
    assert caught.value.code == "no_consent_to_withdraw" and caught.value.status == 409
    assert not ConsentEvent.objects.exists()


def test_consent_needs_text_subject_and_a_consent_purpose(
    person, marketing, invoicing, consent_text
):
    with pytest.raises(DomainError) as caught:
        grant(person, marketing, None)
    assert caught.value.errors[0].field == "text_id"
    with pytest.raises(DomainError) as caught:
        grant(person, invoicing, consent_text)
    assert caught.value.errors[0].code == "purpose_not_consent"
    with pytest.raises(DomainError) as caught:
        Subject()
    assert caught.value.code == "subject_required"
    with pytest.raises(DomainError) as caught:
        record_consent(
            actor=SYSTEM,
            subject=Subject(person=person),
            purpose=marketing,
            channel=Channel.PHONE,
            granted=True,
            method=ConsentMethod.PHONE_VERBAL,
            text=consent_text,
            evidence=EVIDENCE,
        )
    assert caught.value.errors[0].code == "staff_required"
    assert not ConsentEvent.objects.exists()


def test_verbal_consent_is_recorded_by_a_named_staff_member(
    person, marketing, consent_text, officer_actor
):
    event = record_consent(
        actor=officer_actor,
        subject=Subject(person=person),
        purpose=marketing,
        channel=Channel.PHONE,
        granted=True,
        method=ConsentMethod.PHONE_VERBAL,
        text=consent_text,
        evidence=EVIDENCE,
    )
    assert event.actor_label == officer_actor.label


@pytest.mark.parametrize(
    "operation", [object_to_direct_marketing, withdraw_objection, opt_out_of_everything]
)
def test_objections_and_opt_outs_take_only_a_known_method(person, officer_actor, operation):
    # when an objection, its withdrawal or an opt-out names no known method
    for method in ("bogus", "x" * 21):
        with pytest.raises(DomainError) as caught:
            operation(actor=SYSTEM, person=person, method=method, evidence=EVIDENCE)
        # then it is refused naming the field, and nothing enters the chain
        assert (caught.value.errors[0].field, caught.value.errors[0].code) == (
            "method",
            "invalid_method",
        )
    # and one taken down on the phone needs a named staff member
    with pytest.raises(DomainError) as caught:
        operation(actor=SYSTEM, person=person, method=ConsentMethod.PHONE_VERBAL, evidence=EVIDENCE)
    assert caught.value.errors[0].code == "staff_required"
    assert not ConsentEvent.objects.exists() and not SuppressionEntry.objects.exists()
    operation(
        actor=officer_actor, person=person, method=ConsentMethod.PHONE_VERBAL, evidence=EVIDENCE
    )
    assert ConsentEvent.objects.get().method == ConsentMethod.PHONE_VERBAL


def test_texts_are_versioned_and_immutable(consent_text):
    second = publish_text(
        actor=SYSTEM,
        kind=consent_text.kind,
        slug=consent_text.slug,
        language="nb",
        title="Nyhetsbrev",
        text="Ny tekst.",
    )
    assert (consent_text.version, second.version) == (1, 2)
    assert AuditEntry.objects.filter(object_type="consent.consenttext").count() == 2
    consent_text.text = "changed"
    with pytest.raises(ImmutableError):
        consent_text.save()
    with pytest.raises(ImmutableError):
        ConsentText.objects.filter(pk=second.pk).update(text="x")
    with pytest.raises(ImmutableError):
        ConsentText.objects.all().delete()


def test_ledger_refuses_update_and_delete(person, marketing, consent_text):
    event = grant(person, marketing, consent_text)
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        ConsentEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_sql_update_of_the_ledger(person, marketing, consent_text):
    grant(person, marketing, consent_text)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE consent_consentevent SET action = 'refused'")


def _tamper(sql: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser switching the guards off first
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_finds_the_first_tampered_event(person, marketing, consent_text):
    # given a chain of five events
    for channel in (Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.POST):
        grant(person, marketing, consent_text, channel=channel)
    withdraw_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=marketing,
        channel=Channel.SMS,
        method=ConsentMethod.WEB_FORM,
        evidence=EVIDENCE,
    )
    assert verify() == VerifyResult(True, 5)
    # when the third event's action is rewritten in SQL
    _tamper("UPDATE consent_consentevent SET action = %s WHERE sequence = %s", ["refused", 3])
    # then verify reports exactly that event
    result = verify()
    assert (result.ok, result.first_broken_sequence, result.problem) == (
        False,
        3,
        "event content changed",
    )


def test_verify_finds_a_deleted_event_and_a_changed_text(person, marketing, consent_text):
    for channel in (Channel.EMAIL, Channel.SMS, Channel.PHONE):
        grant(person, marketing, consent_text, channel=channel)
    _tamper("DELETE FROM consent_consentstate", [])
    _tamper("DELETE FROM consent_consentevent WHERE sequence = %s", [2])
    assert verify().first_broken_sequence == 2
    _tamper("UPDATE consent_consenttext SET text = %s", ["Nei takk."])
    result = verify()
    assert (result.ok, result.problem) == (False, "text changed")
