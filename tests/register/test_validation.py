"""Values too long for their column, and company countries, are refused by the services for
every caller (staff UI, API, lead import), naming the field."""

from __future__ import annotations

import pytest

from personvern.audit.models import AuditEntry
from personvern.consent.imports import import_leads
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.register import services
from personvern.register.choices import RegisterErrorCode, SubjectCategory
from personvern.register.models import Company, Person
from tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

PERSON = {"category": SubjectCategory.LEAD, "first_name": "Kari"}


@pytest.mark.parametrize(
    ("field", "limit"),
    [("first_name", 100), ("last_name", 100), ("position", 150), ("role", 150),
     ("source_party", 200), ("source_reference", 500)],
)  # fmt: skip
def test_a_person_value_longer_than_its_column_is_refused(officer_actor, field, limit):
    # given a value one character longer than the column holds / when created
    with pytest.raises(DomainError) as refused:
        services.create_person(
            actor=officer_actor,
            values=services.PersonValues(**{**PERSON, field: "x" * (limit + 1)}),
        )
    # then the error names the field, and nothing is written
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        field,
        RegisterErrorCode.TOO_LONG,
    )
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()
    # but exactly the limit is accepted
    services.create_person(
        actor=officer_actor, values=services.PersonValues(**{**PERSON, field: "x" * limit})
    )


def test_an_update_longer_than_the_column_is_refused(officer_actor):
    person = PersonFactory()
    with pytest.raises(DomainError) as refused:
        services.update_person(actor=officer_actor, person=person, changes={"role": "r" * 151})
    assert refused.value.errors[0].field == "role"
    person.refresh_from_db()
    assert person.role != "r" * 151


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", 200), ("street_address", 200), ("postal_code", 10), ("city", 100)],
)
def test_a_company_value_longer_than_its_column_is_refused(officer_actor, field, limit):
    values = {"name": "Fjord AS", field: "y" * (limit + 1)}
    with pytest.raises(DomainError) as refused:
        services.create_company(actor=officer_actor, values=services.CompanyValues(**values))
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        field,
        RegisterErrorCode.TOO_LONG,
    )
    assert not Company.objects.exists()


def test_a_foreign_organisation_number_is_bounded_too(officer_actor):
    # given a Swedish company, whose number is not checked as Norwegian
    with pytest.raises(DomainError) as refused:
        services.create_company(
            actor=officer_actor,
            values=services.CompanyValues(
                name="Svea AB", country="SE", organisation_number="5" * 21
            ),
        )
    assert refused.value.errors[0].field == "organisation_number"


@pytest.mark.parametrize("country", ["XX", "NOR", "N0", "ZZ"])
def test_a_company_country_must_be_iso_3166_alpha_2(officer_actor, country):
    with pytest.raises(DomainError) as refused:
        services.create_company(
            actor=officer_actor, values=services.CompanyValues(name="X AS", country=country)
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        "country",
        CoreErrorCode.INVALID_COUNTRY,
    )
    assert not Company.objects.exists()


def test_a_company_country_is_stored_upper_case(officer_actor):
    company = services.create_company(
        actor=officer_actor, values=services.CompanyValues(name="Svea AB", country=" se ")
    )
    assert company.country == "SE"
    # and an update to an unknown country is refused, leaving it as it was
    with pytest.raises(DomainError):
        services.update_company(actor=officer_actor, company=company, changes={"country": "XX"})
    company.refresh_from_db()
    assert company.country == "SE"


def test_an_existing_company_without_a_country_change_still_saves(officer_actor):
    company = CompanyFactory()
    services.update_company(actor=officer_actor, company=company, changes={"city": "Bergen"})
    company.refresh_from_db()
    assert company.city == "Bergen"


def test_a_lead_import_reports_a_name_too_long_for_the_row(officer_actor):
    # given a third party's row whose first name does not fit the column
    report = import_leads(
        actor=Actor.for_system("tests"),
        source_party="Leadbroker AS",
        rows=[
            {"first_name": "n" * 101, "email": "a@example.com", "consent_reference": "LP-1"},
            {"first_name": "Bo", "email": "bo@example.com", "consent_reference": "LP-2"},
        ],
    )
    # then that row is refused naming the field, and the rest imported
    assert [(r.row, r.field, r.code) for r in report.refused] == [(1, "first_name", "too_long")]
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Bo"]
