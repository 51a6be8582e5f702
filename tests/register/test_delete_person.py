"""Staff deletion of a person: refused while anything of theirs must be kept, otherwise their
addresses go on the suppression list in the same transaction, and files go after commit."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.consent.imports import import_leads
from personvern.consent.keys import email_digest, phone_digest
from personvern.consent.models import SuppressionEntry
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.register import services
from personvern.register.choices import RegisterErrorCode
from personvern.register.models import JobApplicationDocument, Person
from personvern.retention.models import BookkeepingRecord
from personvern.retention.services import set_hold
from personvern.rights.choices import RequestStatus, RequestType
from personvern.rights.models import DataSubjectRequest
from tests.api.conftest import assert_problem, session_client
from tests.factories import PersonFactory
from tests.retention.factories import BookkeepingRecordFactory, DueDiligenceRecordFactory

pytestmark = pytest.mark.django_db

SYSTEM = Actor.for_system("tests")


def a_person() -> Person:
    person: Person = PersonFactory.create(
        email="Ola.Hansen@example.no", email_key="ola.hansen@example.no", phone="+4741234567"
    )
    return person


def assert_refused(call, code: RegisterErrorCode) -> None:
    with pytest.raises(DomainError) as refused:
        call()
    assert (refused.value.code, refused.value.status) == (code, 409)


def test_deleting_a_person_puts_their_addresses_on_the_suppression_list(officer_actor):
    # given a lead with an e-mail address and a phone number
    person = a_person()
    # when staff delete them
    services.delete_person(actor=officer_actor, person=person)
    # then the row is gone but both addresses are suppressed, as keyed hashes only
    assert not Person.objects.exists()
    assert SuppressionEntry.objects.filter(digest=email_digest("ola.hansen@example.no")).exists()
    assert SuppressionEntry.objects.filter(digest=phone_digest("+4741234567")).exists()
    assert not SuppressionEntry.objects.filter(digest__icontains="hansen").exists()
    # and the deletion and the suppression are audited, naming the person by id only
    deleted = AuditEntry.objects.get(action="delete", object_type="register.person")
    assert deleted.subject_id == person.pk
    suppressed = AuditEntry.objects.get(object_type="consent.suppressionentry")
    assert (suppressed.subject_id, suppressed.detail["kinds"]) == (person.pk, ["email", "phone"])
    # and when a third party sells the same lead again, it is not imported
    report = import_leads(
        actor=SYSTEM,
        source_party="Leadbroker AS",
        rows=[{"first_name": "Ola", "phone": "412 34 567", "consent_reference": "LP-1"}],
    )
    assert [r.code for r in report.refused] == ["suppressed"]


@pytest.mark.parametrize("held", ["person", "interaction"])
def test_a_person_under_a_legal_hold_is_not_deleted(officer_actor, held):
    # given a person, or one of their interactions, under a legal hold
    person = a_person()
    interaction = services.record_interaction(actor=officer_actor, person=person, channel="email")
    record_id = person.pk if held == "person" else interaction.pk
    set_hold(actor=officer_actor, record_type=held, record_id=record_id, reason="Tvist")
    before = AuditEntry.objects.count()
    # when staff try to delete them, it is refused with a conflict
    assert_refused(
        lambda: services.delete_person(actor=officer_actor, person=person),
        RegisterErrorCode.PERSON_UNDER_LEGAL_HOLD,
    )
    # then nothing changed: the person, their interaction, no suppression, no audit entry
    assert Person.objects.filter(pk=person.pk).exists()
    assert person.interactions.count() == 1
    assert not SuppressionEntry.objects.exists()
    assert AuditEntry.objects.count() == before


def test_records_the_law_requires_kept_stop_a_deletion(officer_actor):
    # given a person named on this year's bookkeeping material
    person = a_person()
    BookkeepingRecordFactory(person=person, document_date=timezone.localdate())
    # when staff try to delete them, it is refused
    assert_refused(
        lambda: services.delete_person(actor=officer_actor, person=person),
        RegisterErrorCode.RECORDS_KEPT_BY_LAW,
    )
    assert Person.objects.filter(pk=person.pk).exists()
    assert not SuppressionEntry.objects.exists()


def test_due_diligence_of_a_current_customer_stops_a_deletion(officer_actor):
    # given a customer whose relationship has not ended (hvitvaskingsloven § 30)
    person = a_person()
    DueDiligenceRecordFactory(person=person, relationship_ended_on=None)
    # when staff try to delete them, it is refused
    assert_refused(
        lambda: services.delete_person(actor=officer_actor, person=person),
        RegisterErrorCode.RECORDS_KEPT_BY_LAW,
    )


def test_records_past_their_statutory_period_go_with_the_person(officer_actor):
    # given bookkeeping material from 2015, long past bokføringsloven § 13
    person = a_person()
    BookkeepingRecordFactory(person=person, document_date=datetime.date(2015, 3, 1))
    # when staff delete the person
    services.delete_person(actor=officer_actor, person=person)
    # then the person and the expired material are gone
    assert not Person.objects.exists()
    assert not BookkeepingRecord.objects.exists()


def test_a_person_with_an_open_request_is_not_deleted(officer_actor):
    # given a person whose access request is being answered
    person = a_person()
    DataSubjectRequest.objects.create(
        reference="R-1",
        request_type=RequestType.ACCESS,
        status=RequestStatus.IN_PROGRESS,
        person=person,
        due_on=timezone.localdate(),
        contact_email="r-1@example.com",
    )
    # when staff try to delete them, it is refused until the request is answered
    assert_refused(
        lambda: services.delete_person(actor=officer_actor, person=person),
        RegisterErrorCode.OPEN_REQUEST,
    )


def test_application_files_are_removed_only_after_commit(
    officer_actor, django_capture_on_commit_callbacks
):
    # given an applicant with an uploaded CV
    person = PersonFactory(category="job_applicant")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )
    document = services.add_application_document(
        actor=officer_actor,
        application=application,
        title="CV",
        file=SimpleUploadedFile("cv.pdf", b"%PDF synthetic"),
    )
    name = document.file.name
    # when the person is deleted, the file is still there until the transaction commits
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_person(actor=officer_actor, person=person)
        assert default_storage.exists(name)
    assert not JobApplicationDocument.objects.exists()
    # then it goes once the deletion has committed
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)


def test_the_api_answers_a_refused_deletion_with_a_coded_conflict(privacy_officer, officer_actor):
    person = a_person()
    set_hold(actor=officer_actor, record_type="person", record_id=person.pk, reason="Klage")
    response = session_client(privacy_officer).delete(f"/api/people/{person.pk}")
    assert_problem(response, 409, code="person_under_legal_hold")
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_staff_ui_shows_a_refused_deletion_as_a_message(privacy_officer, officer_actor):
    # given a person under a legal hold
    person = a_person()
    set_hold(actor=officer_actor, record_type="person", record_id=person.pk, reason="Klage")
    client = Client()
    client.force_login(privacy_officer)
    # when the privacy officer confirms the deletion in the staff UI
    response = client.post(
        reverse("admin:register_person_delete", args=[person.pk]), {"post": "yes"}, follow=True
    )
    # then the person's page says why, with no server error, and the person stays
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "admin:register_person_change", args=[person.pk]
    )
    [message] = response.context["messages"]
    assert message.level_tag == "error"
    assert Person.objects.filter(pk=person.pk).exists()
