"""/api/companies: create, read, update, delete, list."""

from __future__ import annotations

import pytest

from personvern.audit.choices import AuditAction
from personvern.register.models import Company
from tests.factories import CompanyFactory, PersonFactory

from .conftest import assert_problem, audit_entries

pytestmark = pytest.mark.django_db

COMPANIES = "/api/companies"


def test_create_company_with_valid_organisation_number(officer_api):
    response = officer_api.post(
        COMPANIES,
        {
            "name": "Fjord AS",
            "organisation_number": "974 760 673",
            "phone": "22 33 44 55",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation_number"] == "974760673"
    assert body["phone"] == "+4722334455"
    assert audit_entries(AuditAction.CREATE, "register.company")


def test_invalid_organisation_number_is_refused(officer_api):
    response = officer_api.post(COMPANIES, {"name": "Fjord AS", "organisation_number": "123456789"})
    assert_problem(response, 422, field="organisation_number", code="invalid_organisation_number")
    assert not Company.objects.exists()


def test_duplicate_organisation_number_is_refused(officer_api):
    CompanyFactory(organisation_number="974760673")
    response = officer_api.post(COMPANIES, {"name": "Other AS", "organisation_number": "974760673"})
    assert_problem(response, 422, field="organisation_number", code="duplicate_organisation_number")
    assert Company.objects.count() == 1


def test_missing_name_is_named(officer_api):
    assert_problem(
        officer_api.post(COMPANIES, {"city": "Bergen"}), 422, field="name", code="missing"
    )


def test_update_company(officer_api):
    company = CompanyFactory(city="Oslo")
    response = officer_api.patch(f"{COMPANIES}/{company.pk}", {"city": "Bergen"})
    assert response.json()["city"] == "Bergen"
    [entry] = audit_entries(AuditAction.UPDATE, "register.company")
    assert entry.fields == ["city"]


def test_delete_company_keeps_its_people(officer_api):
    # given a company with an employee
    person = PersonFactory(company=CompanyFactory())
    # when the company is deleted
    response = officer_api.delete(f"{COMPANIES}/{person.company_id}")
    # then the person stays, without a company
    assert response.status_code == 204
    person.refresh_from_db()
    assert person.company is None


def test_auditor_cannot_write_companies(auditor_api):
    company = CompanyFactory()
    assert_problem(auditor_api.post(COMPANIES, {"name": "X"}), 403)
    assert_problem(auditor_api.patch(f"{COMPANIES}/{company.pk}", {"city": "X"}), 403)
    assert_problem(auditor_api.delete(f"{COMPANIES}/{company.pk}"), 403)
    assert auditor_api.get(f"{COMPANIES}/{company.pk}").status_code == 200


def test_list_searches_and_paginates(officer_api, django_assert_max_num_queries):
    CompanyFactory(name="Fjord Fisk AS")
    CompanyFactory.create_batch(12)
    with django_assert_max_num_queries(8):
        page = officer_api.get(COMPANIES, {"limit": 5}).json()
    assert page["count"] == 13
    assert len(page["items"]) == 5
    assert [c["name"] for c in officer_api.get(COMPANIES, {"q": "fisk"}).json()["items"]] == [
        "Fjord Fisk AS"
    ]


@pytest.mark.parametrize("country", ["XX", "NOR"])
def test_an_unknown_country_is_refused(officer_api, country):
    response = officer_api.post(COMPANIES, {"name": "Utland Ltd", "country": country})
    assert_problem(response, 422, field="country", code="invalid_country")
    assert not Company.objects.exists()


def test_a_foreign_company_is_stored_with_its_country_code(officer_api):
    response = officer_api.post(COMPANIES, {"name": "Svea AB", "country": "se"})
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "SE"


@pytest.mark.parametrize(("field", "limit"), [("name", 200), ("postal_code", 10), ("city", 100)])
def test_a_company_value_longer_than_its_column_is_a_422(officer_api, field, limit):
    response = officer_api.post(COMPANIES, {"name": "Fjord AS", field: "y" * (limit + 1)})
    body = assert_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == [field]
    assert not Company.objects.exists()


def test_a_website_that_is_no_url_is_refused_through_the_api_as_in_the_staff_ui(officer_api):
    # given the model's URL rule, which the staff UI's form already applied
    response = officer_api.post(COMPANIES, {"name": "Fjord AS", "website": "ikke en url"})

    # then the API refuses it too, naming the field
    assert_problem(response, 422, field="website", code="invalid_url")
    assert not Company.objects.exists()
