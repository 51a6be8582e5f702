"""A company's values are typed (``CompanyValues``, ``CompanyChanges``) and checked by the
model's own field rules, mapped once (``core.records.model_errors``) to the register's codes."""

from __future__ import annotations

import pytest

from personvern.core.errors import CoreErrorCode, DomainError
from personvern.core.records import model_errors
from personvern.register import services
from personvern.register.choices import RegisterErrorCode
from personvern.register.models import Company
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def refused(officer_actor, **values) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        services.create_company(actor=officer_actor, values=services.CompanyValues(**values))
    assert not Company.objects.exists()
    return [(error.field, error.code) for error in caught.value.errors]


def test_the_model_rules_come_back_as_the_registers_codes(officer_actor):
    # given a blank name, a city too long for its column and a source that is no choice
    # when created / then each field is named with the register's code, all at once
    assert sorted(refused(officer_actor, name="  ", city="y" * 101, source="rumour")) == [
        ("city", RegisterErrorCode.TOO_LONG),
        ("name", CoreErrorCode.REQUIRED),
        ("source", RegisterErrorCode.INVALID_SOURCE),
    ]


def test_a_refused_choice_does_not_repeat_the_value():
    errors = model_errors(
        Company(name="Fjord AS", source="kari@example.no"),
        too_long=RegisterErrorCode.TOO_LONG,
        invalid=services.people.COMPANY_INVALID,
    )

    assert [(e.field, e.code) for e in errors] == [("source", RegisterErrorCode.INVALID_SOURCE)]
    assert "kari" not in str(errors[0].message)


def test_a_rule_without_a_domain_code_is_a_programming_error():
    with pytest.raises(KeyError):
        model_errors(
            Company(name="Fjord AS", website="nope"),
            too_long=RegisterErrorCode.TOO_LONG,
            invalid={},
        )


def test_an_update_sets_only_its_changes_over_the_row_as_it_is_now(officer_actor):
    # given a company read by one caller, then changed by another
    company = CompanyFactory(city="Oslo")
    stale = Company.objects.get(pk=company.pk)
    services.update_company(actor=officer_actor, company=company, changes={"city": "Bergen"})

    # when the first caller changes the name from its stale copy
    services.update_company(actor=officer_actor, company=stale, changes={"name": "Fjord AS"})

    # then the other caller's change stays
    company.refresh_from_db()
    assert (company.name, company.city) == ("Fjord AS", "Bergen")


def test_an_unknown_field_in_an_update_is_refused(officer_actor):
    company = CompanyFactory()

    with pytest.raises(DomainError) as caught:
        services.update_company(actor=officer_actor, company=company, changes={"notes": "x"})

    assert caught.value.code == RegisterErrorCode.UNKNOWN_FIELD
