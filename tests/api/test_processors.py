"""/api/processors: processors, transfer mechanisms and data-processing agreements."""

from __future__ import annotations

import pytest

from personvern.audit.choices import AuditAction
from personvern.processing.choices import TransferMechanism
from personvern.processing.models import DataCategory, Processor
from personvern.processing.services.transfers import import_dpf_list
from tests.factories import ProcessorFactory

from .conftest import assert_problem, audit_entries

pytestmark = pytest.mark.django_db

PROCESSORS = "/api/processors"


def new_processor(**overrides):
    return {
        "name": "Mailer Inc",
        "country": "us",
        "services": "Newsletter delivery",
        "transfer_mechanism": "eu_us_dpf",
        "data_categories": ["user.contact.email"],
        **overrides,
    }


def test_create_processor(officer_api):
    response = officer_api.post(PROCESSORS, new_processor())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["country"] == "US"
    # a US recipient on the DPF is lawful only once found on the imported DPF list
    assert body["transfer_valid"] is False
    assert "DPF-listen" in body["transfer_note"]
    assert body["data_categories"] == ["user.contact.email"]
    assert body["agreements"] == []
    assert audit_entries(AuditAction.CREATE, "processing.processor")


def test_privacy_shield_is_shown_as_invalid(officer_api):
    processor = ProcessorFactory(country="US", transfer_mechanism=TransferMechanism.PRIVACY_SHIELD)
    body = officer_api.get(f"{PROCESSORS}/{processor.pk}").json()
    assert body["transfer_mechanism"] == "privacy_shield"
    assert body["transfer_valid"] is False
    assert "Schrems II" in body["transfer_note"]
    [listed] = officer_api.get(PROCESSORS).json()["items"]
    assert listed["transfer_valid"] is False


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"transfer_mechanism": ""}, "transfer_mechanism", "transfer_mechanism_required"),
        ({"country": "XX"}, "country", "invalid_country"),
        ({"organisation_number": "123"}, "organisation_number", "invalid_organisation_number"),
        ({"parent_id": 999_999}, "parent_id", "not_found"),
        ({"data_categories": ["nope"]}, "data_categories", "unknown_data_category"),
        ({"transfer_mechanism": "handshake"}, "transfer_mechanism", "invalid_transfer_mechanism"),
    ],
)
def test_invalid_processor_is_refused(officer_api, overrides, field, code):
    assert_problem(
        officer_api.post(PROCESSORS, new_processor(**overrides)), 422, field=field, code=code
    )
    assert not Processor.objects.exists()


def test_processor_cannot_be_its_own_parent(officer_api):
    processor = ProcessorFactory()
    response = officer_api.patch(f"{PROCESSORS}/{processor.pk}", {"parent_id": processor.pk})
    assert_problem(response, 422, field="parent_id", code="self_parent")


def test_update_processor_data_categories(officer_api):
    processor = ProcessorFactory()
    response = officer_api.patch(
        f"{PROCESSORS}/{processor.pk}",
        {"data_categories": ["user.name"], "services": "Hosting, backup"},
    )
    assert response.json()["data_categories"] == ["user.name"]
    [entry] = audit_entries(AuditAction.UPDATE, "processing.processor")
    assert entry.fields == ["data_categories", "services"]


def test_record_agreement(officer_api):
    processor = ProcessorFactory()
    response = officer_api.post(
        f"{PROCESSORS}/{processor.pk}/agreements",
        {"signed_on": "2025-01-15", "review_due": "2026-01-15"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["has_document"] is False
    agreements = officer_api.get(f"{PROCESSORS}/{processor.pk}").json()["agreements"]
    assert [a["signed_on"] for a in agreements] == ["2025-01-15"]
    assert audit_entries(AuditAction.CREATE, "processing.dataprocessingagreement")


def test_agreement_needs_dates(officer_api):
    processor = ProcessorFactory()
    assert_problem(
        officer_api.post(f"{PROCESSORS}/{processor.pk}/agreements", {"signed_on": "2025-01-15"}),
        422,
        field="review_due",
        code="missing",
    )


def test_delete_processor(officer_api):
    processor = ProcessorFactory()
    assert officer_api.delete(f"{PROCESSORS}/{processor.pk}").status_code == 204
    assert not Processor.objects.exists()


def test_processor_with_sub_processors_cannot_be_deleted(officer_api):
    parent = ProcessorFactory()
    ProcessorFactory(parent=parent)
    assert_problem(officer_api.delete(f"{PROCESSORS}/{parent.pk}"), 409)
    assert Processor.objects.count() == 2


def test_customer_service_cannot_change_processors(service_api):
    processor = ProcessorFactory()
    assert service_api.get(f"{PROCESSORS}/{processor.pk}").status_code == 200
    assert_problem(service_api.post(PROCESSORS, new_processor()), 403)
    assert_problem(service_api.patch(f"{PROCESSORS}/{processor.pk}", {"services": "x"}), 403)
    assert_problem(service_api.delete(f"{PROCESSORS}/{processor.pk}"), 403)
    assert_problem(
        service_api.post(
            f"{PROCESSORS}/{processor.pk}/agreements",
            {"signed_on": "2025-01-15", "review_due": "2026-01-15"},
        ),
        403,
    )


def test_list_has_no_n_plus_one(officer_api, django_assert_max_num_queries):
    parent = ProcessorFactory()
    categories = list(DataCategory.objects.all()[:2])
    for _ in range(15):
        ProcessorFactory(parent=parent).data_categories.set(categories)
    with django_assert_max_num_queries(8):
        body = officer_api.get(PROCESSORS).json()
    assert body["count"] == 16


def test_detail_has_fixed_queries(officer_api, django_assert_max_num_queries):
    processor = ProcessorFactory()
    processor.data_categories.set(DataCategory.objects.all()[:5])
    for n in range(5):
        processor.agreements.create(signed_on=f"2025-01-{n + 10}", review_due="2026-01-01")
    with django_assert_max_num_queries(10):
        body = officer_api.get(f"{PROCESSORS}/{processor.pk}").json()
    assert len(body["agreements"]) == 5


def test_the_dpf_name_and_an_agreement_end_date_through_the_api(officer_api, officer_actor):
    # given the DPF list holds the recipient under its listed name
    import_dpf_list(
        actor=officer_actor,
        content=b'Organization Name,Status\n"Mailer, Inc.",Active\n',
        filename="dpf.csv",
    )
    response = officer_api.post(PROCESSORS, new_processor(dpf_name="Mailer, Inc."))
    body = response.json()
    assert body["transfer_valid"] is True
    assert body["transfer_note"].startswith("EU-US Data Privacy Framework")
    # when an agreement with an end date is recorded, it is returned
    agreement = officer_api.post(
        f"{PROCESSORS}/{body['id']}/agreements",
        {"signed_on": "2025-01-15", "review_due": "2026-01-15", "expires_on": "2027-01-15"},
    )
    assert agreement.status_code == 201, agreement.content
    assert agreement.json()["expires_on"] == "2027-01-15"
    # and an end date before signing is a problem naming the field
    refused = officer_api.post(
        f"{PROCESSORS}/{body['id']}/agreements",
        {"signed_on": "2025-01-15", "review_due": "2026-01-15", "expires_on": "2024-01-15"},
    )
    assert_problem(refused, 422, field="expires_on", code="agreement_dates")
