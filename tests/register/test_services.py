from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.register import services
from personvern.register.choices import RegisterErrorCode, Source, SubjectCategory
from personvern.register.models import Company, Person
from personvern.register.selectors import find_people
from tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

VALID = {
    "category": SubjectCategory.CUSTOMER_CONTACT,
    "first_name": "Kari",
    "last_name": "Nordmann",
    "email": "Kari.Nordmann@EXAMPLE.no",
    "phone": "412 34 567",
}


def test_create_person_normalises_and_audits_field_names_only(officer_actor):
    # given valid values in loose formats / when created
    person = services.create_person(actor=officer_actor, values=services.PersonValues(**VALID))
    # then e-mail and phone are stored normalised
    person.refresh_from_db()
    assert person.email == "Kari.Nordmann@example.no"
    assert person.email_key == "kari.nordmann@example.no"
    assert person.phone == "+4741234567"
    # and one audit entry names the fields, never their values
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.subject_id) == (
        "create",
        "register.person",
        person.pk,
    )
    assert "email" in entry.fields and "phone" in entry.fields
    assert entry.actor_label == officer_actor.label and entry.ip_address == "192.0.2.10"
    assert "Nordmann" not in str(entry.detail) + str(entry.fields)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"email": "not-an-address"}, "email", CoreErrorCode.INVALID_EMAIL),
        ({"phone": "12"}, "phone", CoreErrorCode.INVALID_PHONE),
        ({"category": "alien"}, "category", RegisterErrorCode.INVALID_CATEGORY),
        ({"first_name": ""}, "first_name", CoreErrorCode.REQUIRED),
        ({"category": ""}, "category", CoreErrorCode.REQUIRED),
        ({"source": "rumour"}, "source", RegisterErrorCode.INVALID_SOURCE),
        (
            {"source": Source.THIRD_PARTY, "source_party": "Leads AS"},
            "source_reference",
            RegisterErrorCode.CONSENT_PROOF_REQUIRED,
        ),
        ({"source": Source.PUBLIC_SOURCE}, "source_party", RegisterErrorCode.SOURCE_PARTY_REQUIRED),
    ],
)
def test_invalid_person_is_refused_naming_field_and_nothing_is_stored(
    officer_actor, changes, field, code
):
    # given values breaking one rule / when created
    with pytest.raises(DomainError) as caught:
        services.create_person(
            actor=officer_actor, values=services.PersonValues(**{**VALID, **changes})
        )
    # then the error names the field and rule, and nothing was written
    assert (caught.value.errors[0].field, caught.value.errors[0].code) == (field, code)
    assert Person.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_third_party_record_with_proof_of_consent_is_accepted(officer_actor):
    person = services.create_person(
        actor=officer_actor,
        values=services.PersonValues(
            **VALID,
            source=Source.THIRD_PARTY,
            source_party="Leads AS",
            source_reference="LEADS-2026-0042",
        ),
    )
    assert person.source == Source.THIRD_PARTY


def test_update_person_audits_only_changed_fields(officer_actor):
    person = services.create_person(actor=officer_actor, values=services.PersonValues(**VALID))
    # when the phone is corrected and the e-mail re-entered unchanged
    services.update_person(
        actor=officer_actor,
        person=person,
        changes={"phone": "+47 98765432", "email": "Kari.Nordmann@EXAMPLE.NO"},
    )
    # then only the phone is listed as changed
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.fields == ["phone"]
    assert "98765432" not in str(entry.fields) + str(entry.detail)


def test_update_with_invalid_value_leaves_person_unchanged(officer_actor):
    person = services.create_person(actor=officer_actor, values=services.PersonValues(**VALID))
    with pytest.raises(DomainError):
        services.update_person(
            actor=officer_actor, person=person, changes={"phone": "+47 98765432", "email": "broken"}
        )
    person.refresh_from_db()
    assert person.phone == "+4741234567"
    assert not AuditEntry.objects.filter(action="update").exists()


def test_interactions_keep_the_latest_time(officer_actor):
    person = PersonFactory()
    now = timezone.now()
    services.record_interaction(
        actor=officer_actor,
        person=person,
        channel="meeting",
        occurred_at=now - datetime.timedelta(days=1),
    )
    # when an older interaction is recorded afterwards
    services.record_interaction(
        actor=officer_actor,
        person=person,
        channel="email",
        occurred_at=now - datetime.timedelta(days=30),
    )
    # then the last-interaction time stays at the newest
    person.refresh_from_db()
    assert person.last_interaction_at == now - datetime.timedelta(days=1)
    assert person.interactions.count() == 2


def test_interaction_channel_and_future_time_are_checked(officer_actor):
    person = PersonFactory()
    with pytest.raises(DomainError) as caught:
        services.record_interaction(actor=officer_actor, person=person, channel="pigeon")
    assert caught.value.errors[0].field == "channel"
    with pytest.raises(DomainError) as caught:
        services.record_interaction(
            actor=officer_actor,
            person=person,
            channel="email",
            occurred_at=timezone.now() + datetime.timedelta(days=2),
        )
    assert caught.value.errors[0].code == RegisterErrorCode.FUTURE_TIME


def test_find_people_matches_normalised_email_and_phone(officer_actor):
    person = services.create_person(actor=officer_actor, values=services.PersonValues(**VALID))
    PersonFactory()
    assert list(find_people(email="KARI.NORDMANN@example.NO")) == [person]
    assert list(find_people(phone="+47 41 23 45 67")) == [person]
    assert list(find_people(email="nobody@example.no")) == []
    assert list(find_people(email="garbage", phone="1")) == []


def test_company_orgnr_is_validated_and_unique(officer_actor):
    with pytest.raises(DomainError) as caught:
        services.create_company(
            actor=officer_actor,
            values=services.CompanyValues(name="Feil AS", organisation_number="123456789"),
        )
    assert caught.value.errors[0].code == CoreErrorCode.INVALID_ORGANISATION_NUMBER
    existing = CompanyFactory()
    with pytest.raises(DomainError) as caught:
        services.create_company(
            actor=officer_actor,
            values=services.CompanyValues(
                name="Kopi AS", organisation_number=existing.organisation_number
            ),
        )
    assert caught.value.code == RegisterErrorCode.DUPLICATE_ORGANISATION_NUMBER
    assert Company.objects.count() == 1


def test_company_orgnr_is_stored_compact(officer_actor):
    company = services.create_company(
        actor=officer_actor,
        values=services.CompanyValues(name="Riktig AS", organisation_number="974 760 673"),
    )
    assert company.organisation_number == "974760673"


def test_decided_application_needs_decision_date(officer_actor):
    person = PersonFactory(category=SubjectCategory.JOB_APPLICANT)
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Regnskapsfører"
    )
    with pytest.raises(DomainError) as caught:
        services.decide_job_application(
            actor=officer_actor, application=application, status="rejected", decision_date=None
        )
    assert caught.value.errors[0].field == "decision_date"
    services.decide_job_application(
        actor=officer_actor,
        application=application,
        status="rejected",
        decision_date=datetime.date(2026, 11, 1),
    )
    application.refresh_from_db()
    assert application.status == "rejected"


def test_delete_person_is_audited_with_subject(officer_actor):
    person = PersonFactory()
    person_id = person.pk
    services.delete_person(actor=officer_actor, person=person)
    entry = AuditEntry.objects.get(action="delete")
    assert (entry.object_type, entry.subject_id) == ("register.person", person_id)
    assert not Person.objects.exists()


RESTRICTED_WRITES = {
    "record an interaction": lambda actor, p, i, a: services.record_interaction(
        actor=actor, person=p, channel="phone_call", summary="Ringte."
    ),
    "change an interaction": lambda actor, p, i, a: services.update_interaction(
        actor=actor, interaction=i, summary="Endret."
    ),
    "delete an interaction": lambda actor, p, i, a: services.delete_interaction(
        actor=actor, interaction=i
    ),
    "add an application": lambda actor, p, i, a: services.create_job_application(
        actor=actor, person=p, position="Regnskapsfører"
    ),
    "decide an application": lambda actor, p, i, a: services.decide_job_application(
        actor=actor, application=a, status="rejected", decision_date=datetime.date(2026, 1, 5)
    ),
    "delete the person": lambda actor, p, i, a: services.delete_person(actor=actor, person=p),
}


@pytest.mark.parametrize("write", RESTRICTED_WRITES.values(), ids=RESTRICTED_WRITES.keys())
def test_a_restricted_persons_data_is_only_stored(write, customer_service, officer_actor):
    # given a person under restriction (Art. 18) with an interaction and an application
    from personvern.core.actors import Actor
    from personvern.register.models import Interaction, JobApplication

    person = PersonFactory(category=SubjectCategory.JOB_APPLICANT)
    interaction = services.record_interaction(actor=officer_actor, person=person, channel="email")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )
    services.restrict_processing(actor=officer_actor, person=person)
    before = AuditEntry.objects.count()
    staff = Actor(user=customer_service, ip_address="192.0.2.11")

    # when customer service tries to add to, change or delete it, it is refused
    with pytest.raises(DomainError) as refused:
        write(staff, person, interaction, application)
    assert (refused.value.code, refused.value.status) == (CoreErrorCode.PERMISSION_DENIED, 403)
    # and nothing changed
    assert AuditEntry.objects.count() == before
    assert Person.objects.filter(pk=person.pk).exists()
    assert list(Interaction.objects.values_list("summary", flat=True)) == [""]
    assert JobApplication.objects.get().status == "received"

    # but the privacy officer may
    write(officer_actor, person, interaction, application)
    assert AuditEntry.objects.count() > before


def test_an_update_starts_from_the_row_as_it_is_now_not_a_stale_copy(officer_actor):
    # given a person read while they still worked for a company
    company = CompanyFactory()
    stale = PersonFactory(company=company)
    # and the company deleted since (its people's link is cleared)
    services.delete_company(actor=officer_actor, company=Company.objects.get(pk=company.pk))
    # when the stale copy is used to correct the person's e-mail address
    services.update_person(
        actor=officer_actor, person=stale, changes={"email": "ny.adresse@example.org"}
    )
    # then the e-mail changed and the deleted company is not written back
    person = Person.objects.get(pk=stale.pk)
    assert person.email == "ny.adresse@example.org"
    assert person.company_id is None


def test_a_company_deleted_since_it_was_read_is_a_field_error_not_a_broken_link(officer_actor):
    # given a company read by the caller, then deleted by someone else
    company = CompanyFactory()
    person = PersonFactory()
    services.delete_company(actor=officer_actor, company=Company.objects.get(pk=company.pk))
    # when the person is linked to the company as read
    with pytest.raises(DomainError) as refused:
        services.update_person(actor=officer_actor, person=person, changes={"company": company})
    # then it is refused naming the field, and the person is as before
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("company_id", CoreErrorCode.NOT_FOUND)
    ]
    assert Person.objects.get(pk=person.pk).company_id is None
