"""Bookkeeping and due-diligence records, and erasing one person with the sweep's operations."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.register.models import Interaction, JobApplicationDocument, Person
from personvern.retention import services
from personvern.retention.choices import HeldRecord, RetentionErrorCode
from personvern.retention.models import BookkeepingRecord
from personvern.retention.services.operations import ANONYMISED_NAME
from tests.factories import InteractionFactory, PersonFactory
from tests.retention.factories import (
    BookkeepingRecordFactory,
    DueDiligenceRecordFactory,
    JobApplicationFactory,
)

pytestmark = pytest.mark.django_db


def test_a_bookkeeping_record_gets_its_fiscal_year_from_the_document_date(officer_actor):
    record = services.register_bookkeeping_record(
        actor=officer_actor,
        kind="primary",
        reference="F-1001",
        document_date=datetime.date(2023, 11, 2),
        person=PersonFactory(),
    )
    assert (record.fiscal_year, record.fiscal_year_end) == (2023, datetime.date(2023, 12, 31))


@override_settings(PERSONVERN={"FISCAL_YEAR_END_MONTH": 6})
def test_an_organisation_with_a_non_calendar_fiscal_year(officer_actor):
    record = services.register_bookkeeping_record(
        actor=officer_actor,
        kind="agreements",
        reference="AVT-7",
        document_date=datetime.date(2023, 8, 15),
        person=PersonFactory(),
    )
    assert (record.fiscal_year, record.fiscal_year_end) == (2024, datetime.date(2024, 6, 30))


def test_bookkeeping_cannot_be_deleted_by_hand_inside_its_period(officer_actor):
    record = BookkeepingRecordFactory(document_date=timezone.localdate())
    with pytest.raises(DomainError) as caught:
        services.delete_bookkeeping_record(actor=officer_actor, bookkeeping=record)
    assert caught.value.code == RetentionErrorCode.UNDER_STATUTORY_PERIOD
    old = BookkeepingRecordFactory(document_date=datetime.date(2010, 1, 1))
    services.delete_bookkeeping_record(actor=officer_actor, bookkeeping=old)
    assert not BookkeepingRecord.objects.filter(pk=old.pk).exists()


def test_erasing_a_person_without_obligations_deletes_them(officer_actor):
    person = PersonFactory()
    InteractionFactory(person=person)
    outcome = services.erase_person(actor=officer_actor, person_id=person.pk)
    assert outcome.person == "deleted"
    assert outcome.erased == {"people": 1, "interactions": 1}
    assert not Person.objects.filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(object_type="register.person", action="delete")
    assert entry.detail["erased"] == {"interactions": 1, "people": 1}


def test_erasure_keeps_what_the_law_or_a_hold_requires_and_says_until_when(officer_actor):
    # given a person with current bookkeeping material, ongoing due diligence and a held call
    person = PersonFactory()
    accounts = BookkeepingRecordFactory(person=person, document_date=datetime.date(2024, 2, 1))
    kyc = DueDiligenceRecordFactory(person=person, relationship_ended_on=None)
    held = InteractionFactory(person=person)
    InteractionFactory(person=person)
    services.set_hold(
        actor=officer_actor, record_type=HeldRecord.INTERACTION, record_id=held.pk, reason="Klage"
    )

    # when they are erased
    outcome = services.erase_person(actor=officer_actor, person_id=person.pk)

    # then the free interaction is deleted, the rest kept with reasons, the person anonymised
    kept = {(k.record_type, k.record_id): (k.reason, k.keep_until) for k in outcome.kept}
    assert kept == {
        (HeldRecord.INTERACTION, held.pk): ("legal_hold", None),
        (HeldRecord.BOOKKEEPING_RECORD, accounts.pk): (
            "bokforingsloven_13",
            datetime.date(2029, 12, 31),
        ),
        (HeldRecord.DUE_DILIGENCE_RECORD, kyc.pk): ("hvitvaskingsloven_30", None),
    }
    assert outcome.person == "anonymised"
    assert list(Interaction.objects.filter(person=person).values_list("pk", flat=True)) == [held.pk]
    person.refresh_from_db()
    assert person.first_name == ANONYMISED_NAME and person.email == ""


def test_erasure_leaves_held_records_exactly_as_they_were(
    officer_actor, django_capture_on_commit_callbacks
):
    # given a person with a held call and a held job application with a CV, and a free call
    person = PersonFactory(category="job_applicant")
    held_call = InteractionFactory(person=person, summary="Klaget på fakturaen.")
    free_call = InteractionFactory(person=person, summary="Spurte om frister.")
    application = JobApplicationFactory(person=person)
    cv = JobApplicationDocument(application=application, title="CV")
    cv.file.save("cv.pdf", ContentFile(b"%PDF synthetic"), save=True)
    for record_type, record_id in (
        (HeldRecord.INTERACTION, held_call.pk),
        (HeldRecord.JOB_APPLICATION, application.pk),
    ):
        services.set_hold(
            actor=officer_actor, record_type=record_type, record_id=record_id, reason="Tvist"
        )

    # when the person is erased
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.erase_person(actor=officer_actor, person_id=person.pk)

    # then the person is anonymised, the free call goes, and the held records keep their
    # contents: what was said in the call, the application's CV and its file
    assert outcome.person == "anonymised"
    assert not Interaction.objects.filter(pk=free_call.pk).exists()
    held_call.refresh_from_db()
    assert held_call.summary == "Klaget på fakturaen."
    assert JobApplicationDocument.objects.filter(pk=cv.pk).exists()
    assert default_storage.exists(cv.file.name)


def test_a_held_person_is_not_erased(officer_actor):
    person = PersonFactory()
    services.set_hold(
        actor=officer_actor, record_type=HeldRecord.PERSON, record_id=person.pk, reason="Søksmål"
    )
    outcome = services.erase_person(actor=officer_actor, person_id=person.pk)
    assert outcome.person == "kept" and outcome.kept[0].reason == "legal_hold"
    assert Person.objects.filter(pk=person.pk, first_name=person.first_name).exists()
