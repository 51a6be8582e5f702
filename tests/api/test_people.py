"""/api/people: create, read (audited), update, delete, list, look-up."""

from __future__ import annotations

import pytest

from personvern.audit.choices import AuditAction
from personvern.audit.models import AuditEntry
from personvern.register.choices import SubjectCategory
from personvern.register.models import Person
from tests.factories import CompanyFactory, PersonFactory

from .conftest import assert_problem, audit_entries

pytestmark = pytest.mark.django_db

PEOPLE = "/api/people"


def valid_person(**overrides):
    return {
        "category": "customer_contact",
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "Kari.Nordmann@EXAMPLE.com",
        "phone": "412 34 567",
        **overrides,
    }


# Create


def test_create_person_stores_normalised_values(officer_api):
    # given a company
    company = CompanyFactory()
    # when a person is created with a national phone number and a mixed-case domain
    response = officer_api.post(PEOPLE, valid_person(company_id=company.pk))
    # then it is stored in E.164 with the domain lower-cased, and returned
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.phone == "+4741234567"
    assert person.email == "Kari.Nordmann@example.com"
    assert person.email_key == "kari.nordmann@example.com"
    assert body["phone"] == "+4741234567"
    assert body["company"] == {"id": company.pk, "name": company.name}


def test_create_person_is_audited_with_field_names_only(officer_api, privacy_officer):
    response = officer_api.post(PEOPLE, valid_person())
    [entry] = audit_entries(AuditAction.CREATE, "register.person")
    assert entry.actor == privacy_officer
    assert entry.subject_id == response.json()["id"]
    assert "email" in entry.fields and "phone" in entry.fields
    assert "Kari" not in repr((entry.fields, entry.detail))


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"email": "not-an-address"}, "email", "invalid_email"),
        ({"phone": "12"}, "phone", "invalid_phone"),
        ({"category": "martian"}, "category", "invalid_category"),
        ({"first_name": "  "}, "first_name", "required"),
        ({"source": "third_party"}, "source_party", "source_party_required"),
    ],
)
def test_invalid_person_is_refused_with_coded_field_error(officer_api, overrides, field, code):
    # when
    response = officer_api.post(PEOPLE, valid_person(**overrides))
    # then a problem names the field and its code, and nothing was stored or audited
    assert_problem(response, 422, field=field, code=code)
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(object_type="register.person").exists()


def test_missing_required_field_is_named(officer_api):
    body = valid_person()
    del body["first_name"]
    assert_problem(officer_api.post(PEOPLE, body), 422, field="first_name", code="missing")
    assert not Person.objects.exists()


def test_problem_never_echoes_the_rejected_value(officer_api):
    response = officer_api.post(PEOPLE, valid_person(email="kari-secret-at-nowhere"))
    assert b"kari-secret" not in response.content


def test_all_field_errors_are_reported_together(officer_api):
    response = officer_api.post(PEOPLE, valid_person(email="bad", phone="12"))
    body = assert_problem(response, 422, field="email", code="invalid_email")
    assert {"field": "phone", "code": "invalid_phone"} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]


def test_unknown_company_id_is_a_422_naming_the_field(officer_api):
    response = officer_api.post(PEOPLE, valid_person(company_id=999_999))
    assert_problem(response, 422, field="company_id", code="not_found")
    assert not Person.objects.exists()


# Read


def test_reading_a_person_writes_a_view_entry(officer_api, privacy_officer):
    # given
    person = PersonFactory()
    # when
    response = officer_api.get(f"{PEOPLE}/{person.pk}")
    # then the data is returned and the view is audited
    assert response.status_code == 200
    assert response.json()["email"] == person.email
    [entry] = audit_entries(AuditAction.VIEW, "register.person")
    assert entry.actor == privacy_officer
    assert entry.subject_id == person.pk
    assert entry.detail == {"via": "api"}
    assert entry.ip_address == "127.0.0.1"


def test_unknown_person_is_a_404_problem(officer_api):
    assert_problem(officer_api.get(f"{PEOPLE}/999999"), 404, code="not_found")


def test_auditor_may_read(auditor_api):
    person = PersonFactory()
    assert auditor_api.get(f"{PEOPLE}/{person.pk}").status_code == 200
    assert auditor_api.get(PEOPLE).status_code == 200


# Update


def test_update_changes_only_sent_fields_and_audits_their_names(officer_api):
    # given
    person = PersonFactory(position="Seller")
    # when only the phone is corrected
    response = officer_api.patch(f"{PEOPLE}/{person.pk}", {"phone": "+47 909 12 345"})
    # then the phone changes, the rest stays, and the audit lists the field name, not the value
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.phone == "+4790912345"
    assert person.position == "Seller"
    [entry] = audit_entries(AuditAction.UPDATE, "register.person")
    assert entry.fields == ["phone"]
    assert "909" not in repr((entry.fields, entry.detail))


def test_update_with_null_clears_company(officer_api):
    person = PersonFactory(company=CompanyFactory())
    response = officer_api.patch(f"{PEOPLE}/{person.pk}", {"company_id": None})
    assert response.json()["company"] is None
    person.refresh_from_db()
    assert person.company is None


def test_invalid_update_changes_nothing(officer_api):
    person = PersonFactory()
    response = officer_api.patch(f"{PEOPLE}/{person.pk}", {"email": "nope", "position": "CEO"})
    assert_problem(response, 422, field="email", code="invalid_email")
    person.refresh_from_db()
    assert person.position == ""
    assert not audit_entries(AuditAction.UPDATE, "register.person")


def test_update_with_unknown_company_is_a_422(officer_api):
    person = PersonFactory()
    response = officer_api.patch(f"{PEOPLE}/{person.pk}", {"company_id": 999_999})
    assert_problem(response, 422, field="company_id", code="not_found")


# Delete


def test_delete_person(officer_api):
    person = PersonFactory()
    response = officer_api.delete(f"{PEOPLE}/{person.pk}")
    assert response.status_code == 204
    assert not Person.objects.exists()
    assert audit_entries(AuditAction.DELETE, "register.person")[0].subject_id == person.pk


# Permissions


def test_auditor_cannot_write(auditor_api):
    person = PersonFactory()
    assert_problem(auditor_api.post(PEOPLE, valid_person()), 403, code="permission_denied")
    assert_problem(
        auditor_api.patch(f"{PEOPLE}/{person.pk}", {"role": "x"}), 403, code="permission_denied"
    )
    assert_problem(auditor_api.delete(f"{PEOPLE}/{person.pk}"), 403, code="permission_denied")
    assert Person.objects.count() == 1


def test_sales_user_cannot_delete_people(sales_api):
    person = PersonFactory()
    assert_problem(sales_api.delete(f"{PEOPLE}/{person.pk}"), 403)


def test_permission_is_checked_before_existence(auditor_api):
    assert_problem(auditor_api.delete(f"{PEOPLE}/999999"), 403)


# List


def test_list_is_paginated(officer_api):
    PersonFactory.create_batch(5)
    response = officer_api.get(PEOPLE, {"limit": 2, "offset": 2})
    body = response.json()
    assert body["count"] == 5
    assert len(body["items"]) == 2


def test_list_does_not_show_contact_details(officer_api):
    PersonFactory()
    [item] = officer_api.get(PEOPLE).json()["items"]
    assert "email" not in item and "phone" not in item


def test_list_filters_by_category_and_searches_name_and_company(officer_api):
    # given
    acme = CompanyFactory(name="Acme Fjord AS")
    PersonFactory(first_name="Ola", last_name="Hansen", category=SubjectCategory.LEAD)
    PersonFactory(first_name="Kari", last_name="Berg", company=acme)
    PersonFactory(first_name="Per", last_name="Hansen")
    # then
    leads = officer_api.get(PEOPLE, {"category": "lead"}).json()
    assert [p["first_name"] for p in leads["items"]] == ["Ola"]
    hansen = officer_api.get(PEOPLE, {"q": "hansen"}).json()
    assert hansen["count"] == 2
    fjord = officer_api.get(PEOPLE, {"q": "fjord kari"}).json()
    assert [p["first_name"] for p in fjord["items"]] == ["Kari"]


def test_list_has_no_n_plus_one(officer_token_api, django_assert_max_num_queries):
    # given many people, each with a company
    for _ in range(20):
        PersonFactory(company=CompanyFactory())
    # then listing them takes a fixed number of queries (auth, permissions, count, page)
    with django_assert_max_num_queries(8):
        response = officer_token_api.get(PEOPLE)
    assert len(response.json()["items"]) == 20


# Look-up


def test_lookup_by_email_or_phone_in_the_body(officer_api):
    # given
    kari = PersonFactory(email="kari@example.com", email_key="kari@example.com")
    ola = PersonFactory(phone="+4741234567")
    PersonFactory()
    # when
    by_email = officer_api.post(f"{PEOPLE}/lookup", {"email": "KARI@example.com"}).json()
    by_phone = officer_api.post(f"{PEOPLE}/lookup", {"phone": "41 23 45 67"}).json()
    # then
    assert [p["id"] for p in by_email] == [kari.pk]
    assert [p["id"] for p in by_phone] == [ola.pk]


def test_lookup_with_invalid_input_finds_no_one(officer_api):
    PersonFactory()
    assert officer_api.post(f"{PEOPLE}/lookup", {"email": "nope"}).json() == []


def test_list_does_not_accept_email_in_the_url(officer_api):
    # the query string has no e-mail filter: an e-mail never has a reason to be in a URL
    PersonFactory.create_batch(2)
    assert officer_api.get(PEOPLE, {"email": "x@example.test"}).json()["count"] == 2


def test_unknown_body_field_is_refused_not_ignored(officer_api):
    # given
    person = PersonFactory()
    # when a partial update misspells a field
    response = officer_api.patch(f"{PEOPLE}/{person.pk}", {"emial": "kari@example.com"})
    # then it is named, not silently dropped
    assert_problem(response, 422, field="emial", code="extra_forbidden")


def test_lookup_audits_a_view_of_each_person_found(officer_api, privacy_officer):
    # given two people sharing an e-mail address and one who does not
    kari = PersonFactory(email="felles@example.com", email_key="felles@example.com")
    ola = PersonFactory(email="felles@example.com", email_key="felles@example.com")
    PersonFactory()
    # when staff look the address up
    found = officer_api.post(f"{PEOPLE}/lookup", {"email": "felles@example.com"}).json()
    # then each person returned is audited as viewed through the look-up, and no one else
    views = audit_entries(AuditAction.VIEW, "register.person")
    assert sorted(e.subject_id for e in views) == sorted(p["id"] for p in found)
    assert sorted(p["id"] for p in found) == sorted([kari.pk, ola.pk])
    assert {(e.actor, e.detail["via"]) for e in views} == {(privacy_officer, "api:lookup")}


def test_lookup_finding_no_one_audits_nothing(officer_api):
    officer_api.post(f"{PEOPLE}/lookup", {"email": "ingen@example.com"})
    assert not AuditEntry.objects.filter(action="view").exists()


@pytest.mark.parametrize(
    ("field", "limit"),
    [("first_name", 100), ("last_name", 100), ("position", 150), ("source_reference", 500)],
)
def test_a_value_longer_than_its_column_is_a_422_naming_the_field(officer_api, field, limit):
    # when a person is created with a value one character too long
    response = officer_api.post(PEOPLE, valid_person(**{field: "x" * (limit + 1)}))
    # then it is a problem naming the field, not a 500 or a silently stored value
    body = assert_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == [field]
    assert not Person.objects.exists()


def test_a_too_long_value_in_an_update_is_a_422(officer_api):
    person = PersonFactory()
    response = officer_api.patch(f"{PEOPLE}/{person.pk}", {"first_name": "x" * 101})
    body = assert_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == ["first_name"]
    person.refresh_from_db()
    assert len(person.first_name) <= 100
