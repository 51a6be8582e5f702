"""/api/interactions: record, read (audited as a view of the person), update, delete, list."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personvern.audit.choices import AuditAction
from personvern.register.models import Interaction
from tests.factories import InteractionFactory, PersonFactory

from .conftest import assert_problem, audit_entries

pytestmark = pytest.mark.django_db

INTERACTIONS = "/api/interactions"


def test_record_interaction_updates_last_interaction(service_api, customer_service):
    # given
    person = PersonFactory()
    occurred = timezone.now() - datetime.timedelta(hours=1)
    # when
    response = service_api.post(
        INTERACTIONS,
        {
            "person_id": person.pk,
            "channel": "phone_call",
            "summary": "Asked about invoices.",
            "occurred_at": occurred.isoformat(),
        },
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recorded_by"] == customer_service.username
    person.refresh_from_db()
    assert person.last_interaction_at == occurred
    [entry] = audit_entries(AuditAction.CREATE, "register.interaction")
    assert entry.subject_id == person.pk
    assert "invoices" not in repr((entry.fields, entry.detail))


def test_unknown_person_id_is_a_422(service_api):
    response = service_api.post(INTERACTIONS, {"person_id": 999_999, "channel": "email"})
    assert_problem(response, 422, field="person_id", code="not_found")


def test_invalid_channel_and_naive_time_are_refused(service_api):
    person = PersonFactory()
    assert_problem(
        service_api.post(INTERACTIONS, {"person_id": person.pk, "channel": "fax"}),
        422,
        field="channel",
        code="invalid_channel",
    )
    naive = service_api.post(
        INTERACTIONS,
        {"person_id": person.pk, "channel": "email", "occurred_at": "2024-01-01T10:00:00"},
    )
    assert_problem(naive, 422, field="occurred_at", code="timezone_aware")
    assert not Interaction.objects.exists()


def test_future_interaction_is_refused(service_api):
    person = PersonFactory()
    later = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    response = service_api.post(
        INTERACTIONS, {"person_id": person.pk, "channel": "email", "occurred_at": later}
    )
    assert_problem(response, 422, field="occurred_at", code="future_time")


def test_reading_an_interaction_is_audited_as_a_view(service_api):
    interaction = InteractionFactory()
    response = service_api.get(f"{INTERACTIONS}/{interaction.pk}")
    assert response.json()["summary"] == interaction.summary
    [entry] = audit_entries(AuditAction.VIEW, "register.person")
    assert entry.subject_id == interaction.person_id
    assert entry.detail == {"via": "api:interaction"}


def test_update_and_delete(officer_api):
    interaction = InteractionFactory()
    response = officer_api.patch(f"{INTERACTIONS}/{interaction.pk}", {"channel": "meeting"})
    assert response.json()["channel"] == "meeting"
    assert audit_entries(AuditAction.UPDATE, "register.interaction")[0].fields == ["channel"]
    assert officer_api.delete(f"{INTERACTIONS}/{interaction.pk}").status_code == 204
    assert not Interaction.objects.exists()


def test_customer_service_cannot_delete(service_api):
    interaction = InteractionFactory()
    assert_problem(service_api.delete(f"{INTERACTIONS}/{interaction.pk}"), 403)


def test_list_filters_by_person_without_summaries(
    officer_api, privacy_officer, django_assert_max_num_queries
):
    # given
    person = PersonFactory()
    for _ in range(10):
        InteractionFactory(person=person, recorded_by=privacy_officer)
    InteractionFactory()
    # when
    with django_assert_max_num_queries(8):
        body = officer_api.get(INTERACTIONS, {"person_id": person.pk}).json()
    # then
    assert body["count"] == 10
    assert all(i["recorded_by"] == privacy_officer.username for i in body["items"])
    assert "summary" not in body["items"][0]
