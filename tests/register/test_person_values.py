"""A person's values are typed (``PersonValues``, ``PersonChanges``) and checked by the
model's own field rules, mapped once (``core.records.model_errors``) to the register's codes;
the service adds what the model cannot say (normalisation, the source's rules, the company
read again under lock)."""

from __future__ import annotations

import datetime

import pytest

from personvern.audit.models import AuditEntry
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.core.records import model_errors
from personvern.register import services
from personvern.register.choices import RegisterErrorCode, Source, SubjectCategory
from personvern.register.models import Person
from tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def refused(officer_actor, values: services.PersonValues) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        services.create_person(actor=officer_actor, values=values)
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()
    return [(error.field, error.code) for error in caught.value.errors]


def test_the_model_rules_and_the_services_own_come_back_together(officer_actor):
    # given a blank first name, a category and a source that are no choice, a last name too
    # long for its column and a phone number the library cannot read
    values = services.PersonValues(
        category="alien", first_name="  ", last_name="y" * 101, source="rumour", phone="12"
    )

    # when created / then each field is named with the register's code, all at once
    assert sorted(refused(officer_actor, values)) == [
        ("category", RegisterErrorCode.INVALID_CATEGORY),
        ("first_name", CoreErrorCode.REQUIRED),
        ("last_name", RegisterErrorCode.TOO_LONG),
        ("phone", CoreErrorCode.INVALID_PHONE),
        ("source", RegisterErrorCode.INVALID_SOURCE),
    ]


def test_the_source_rules_across_fields_stay_with_the_service(officer_actor):
    values = services.PersonValues(
        category=SubjectCategory.LEAD, first_name="Kari", source=Source.THIRD_PARTY
    )

    assert refused(officer_actor, values) == [
        ("source_party", RegisterErrorCode.SOURCE_PARTY_REQUIRED),
        ("source_reference", RegisterErrorCode.CONSENT_PROOF_REQUIRED),
    ]


def test_a_refused_category_does_not_repeat_the_value():
    errors = model_errors(
        Person(category="kari@example.no", first_name="Kari"),
        too_long=RegisterErrorCode.TOO_LONG,
        invalid=services.people.PERSON_INVALID,
    )

    assert [(e.field, e.code) for e in errors] == [("category", RegisterErrorCode.INVALID_CATEGORY)]
    assert "kari" not in str(errors[0].message)


def test_a_new_person_is_stored_trimmed_and_normalised(officer_actor):
    # given loose values, with the company and the end of the relationship
    company = CompanyFactory()
    ended = datetime.date(2025, 6, 30)
    values = services.PersonValues(
        category=SubjectCategory.CUSTOMER_CONTACT, first_name=" Kari ", role=" CFO ",
        email="Kari@EXAMPLE.no", company=company, relationship_ended_on=ended, source="",
    )  # fmt: skip

    # when created
    person = Person.objects.get(pk=services.create_person(actor=officer_actor, values=values).pk)

    # then
    assert (person.first_name, person.role, person.email, person.source) == (
        "Kari", "CFO", "Kari@example.no", Source.DATA_SUBJECT,
    )  # fmt: skip
    assert (person.company_id, person.relationship_ended_on) == (company.pk, ended)


def test_an_update_sets_only_its_changes_over_the_row_as_it_is_now(officer_actor):
    # given a person read by one caller, then changed by another
    person = PersonFactory(role="CFO")
    stale = Person.objects.get(pk=person.pk)
    services.update_person(actor=officer_actor, person=person, changes={"role": "CEO"})

    # when the first caller corrects the last name from its stale copy
    services.update_person(actor=officer_actor, person=stale, changes={"last_name": "Berg"})

    # then the other caller's change stays
    person.refresh_from_db()
    assert (person.last_name, person.role) == ("Berg", "CEO")


def test_an_unknown_field_in_an_update_is_refused(officer_actor):
    person = PersonFactory()

    with pytest.raises(DomainError) as caught:
        services.update_person(
            actor=officer_actor,
            person=person,
            changes={"shoe_size": "42"},
        )

    assert (caught.value.code, caught.value.errors[0].field) == (
        RegisterErrorCode.UNKNOWN_FIELD,
        "shoe_size",
    )
