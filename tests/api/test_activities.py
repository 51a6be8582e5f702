"""/api/activities: the record of processing activities, with the balancing-test rule."""

from __future__ import annotations

import pytest

from personvern.audit.choices import AuditAction
from personvern.processing.choices import ActivityStatus, LegalBasis
from personvern.processing.models import DataCategory, ProcessingActivity
from tests.factories import ProcessingActivityFactory, ProcessorFactory

from .conftest import assert_problem, audit_entries

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/activities"
ASSESSMENT = {
    "purpose_test": "Keep existing customers informed of related services.",
    "necessity_test": "E-mail is the only channel they gave us.",
    "balancing_test": "Expected by customers; opt-out in every message.",
    "outcome": "favourable",
}


def new_activity(**overrides):
    return {
        "name": "Newsletter",
        "purpose": "Tell customers about news.",
        "legal_basis": "consent",
        "subject_categories": ["customer_contact"],
        "data_categories": ["user.contact.email"],
        **overrides,
    }


def test_create_activity_with_categories_and_processors(officer_api):
    # given
    processor = ProcessorFactory()
    # when
    response = officer_api.post(ACTIVITIES, new_activity(processor_ids=[processor.pk]))
    # then it is a draft with its relations
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == ActivityStatus.DRAFT
    assert body["legal_basis"] == "consent"
    assert body["data_categories"] == ["user.contact.email"]
    assert body["subject_categories"] == ["customer_contact"]
    assert body["processors"] == [{"id": processor.pk, "name": processor.name}]
    assert body["has_favourable_assessment"] is False
    assert audit_entries(AuditAction.CREATE, "processing.processingactivity")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"data_categories": ["user.no.such.thing"]}, "data_categories", "unknown_data_category"),
        ({"processor_ids": [999_999]}, "processor_ids", "not_found"),
        ({"legal_basis": "because"}, "legal_basis", "invalid_legal_basis"),
        ({"subject_categories": ["aliens"]}, "subject_categories", "invalid_subject_category"),
    ],
)
def test_invalid_activity_is_refused(officer_api, overrides, field, code):
    assert_problem(
        officer_api.post(ACTIVITIES, new_activity(**overrides)), 422, field=field, code=code
    )
    assert not ProcessingActivity.objects.exists()


def test_duplicate_name_is_refused(officer_api):
    ProcessingActivityFactory(name="Newsletter")
    assert_problem(
        officer_api.post(ACTIVITIES, new_activity()), 422, field="name", code="duplicate_name"
    )


def test_update_activity_relations(officer_api):
    activity = ProcessingActivityFactory()
    processor = ProcessorFactory()
    response = officer_api.patch(
        f"{ACTIVITIES}/{activity.pk}",
        {
            "processor_ids": [processor.pk],
            "data_categories": ["user.name"],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["processors"] == [{"id": processor.pk, "name": processor.name}]
    [entry] = audit_entries(AuditAction.UPDATE, "processing.processingactivity")
    assert entry.fields == ["data_categories", "processors"]


def test_legitimate_interest_needs_a_favourable_assessment_to_activate(officer_api):
    # given a draft on legitimate interest
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.LEGITIMATE_INTEREST)
    # when it is activated without an assessment
    response = officer_api.post(f"{ACTIVITIES}/{activity.pk}/activate")
    # then it is refused and stays a draft
    assert_problem(response, 422, field="legal_basis", code="balancing_assessment_required")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT

    # when an unfavourable assessment is recorded, it is still refused
    unfavourable = {**ASSESSMENT, "outcome": "unfavourable"}
    assert (
        officer_api.post(f"{ACTIVITIES}/{activity.pk}/assessments", unfavourable).status_code == 201
    )
    assert_problem(
        officer_api.post(f"{ACTIVITIES}/{activity.pk}/activate"),
        422,
        field="legal_basis",
        code="balancing_assessment_required",
    )

    # when a favourable assessment is recorded
    recorded = officer_api.post(f"{ACTIVITIES}/{activity.pk}/assessments", ASSESSMENT)
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["permits_processing"] is True
    # then activation succeeds
    response = officer_api.post(f"{ACTIVITIES}/{activity.pk}/activate")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ActivityStatus.ACTIVE
    assert response.json()["has_favourable_assessment"] is True
    assert audit_entries(AuditAction.ACTIVATE, "processing.processingactivity")


def test_invalid_assessment_is_refused(officer_api):
    activity = ProcessingActivityFactory()
    response = officer_api.post(
        f"{ACTIVITIES}/{activity.pk}/assessments",
        {**ASSESSMENT, "outcome": "maybe", "necessity_test": ""},
    )
    body = assert_problem(response, 422, field="outcome", code="invalid_outcome")
    assert {"field": "necessity_test", "code": "required"} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]


def test_retire_activity(officer_api):
    activity = ProcessingActivityFactory(status=ActivityStatus.ACTIVE)
    response = officer_api.post(f"{ACTIVITIES}/{activity.pk}/retire")
    assert response.json()["status"] == ActivityStatus.RETIRED


def test_sales_user_can_read_but_not_change_activities(sales_api):
    activity = ProcessingActivityFactory()
    assert sales_api.get(f"{ACTIVITIES}/{activity.pk}").status_code == 200
    assert_problem(sales_api.post(ACTIVITIES, new_activity()), 403, code="permission_denied")
    assert_problem(sales_api.patch(f"{ACTIVITIES}/{activity.pk}", {"purpose": "x"}), 403)
    assert_problem(sales_api.post(f"{ACTIVITIES}/{activity.pk}/activate"), 403)
    assert_problem(sales_api.post(f"{ACTIVITIES}/{activity.pk}/retire"), 403)
    assert_problem(sales_api.post(f"{ACTIVITIES}/{activity.pk}/assessments", ASSESSMENT), 403)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT


def test_list_filters_and_has_no_n_plus_one(officer_token_api, django_assert_max_num_queries):
    # given activities with processors, categories and assessments
    categories = list(DataCategory.objects.filter(key__startswith="user.contact")[:3])
    for n in range(15):
        activity = ProcessingActivityFactory(
            legal_basis=LegalBasis.LEGITIMATE_INTEREST if n % 2 else LegalBasis.CONTRACT
        )
        activity.processors.set(ProcessorFactory.create_batch(2))
        activity.data_categories.set(categories)
        activity.assessments.create(
            author_label="tests",
            outcome="favourable",
            purpose_test="p",
            necessity_test="n",
            balancing_test="b",
        )
    # when
    with django_assert_max_num_queries(10):
        body = officer_token_api.get(ACTIVITIES).json()
    # then
    assert body["count"] == 15
    assert all(
        len(a["processors"]) == 2
        and len(a["data_categories"]) == 3
        and a["has_favourable_assessment"]
        for a in body["items"]
    )
    filtered = officer_token_api.get(ACTIVITIES, {"legal_basis": "legitimate_interest"}).json()
    assert filtered["count"] == 7
