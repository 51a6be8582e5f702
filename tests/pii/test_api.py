"""Every pii endpoint through the HTTP stack (responses checked against the OpenAPI schema)."""

from __future__ import annotations

import pytest

from personvern.pii.choices import FindingStatus
from personvern.pii.models import Finding
from personvern.register import services
from personvern.register.models import Interaction
from tests.api.conftest import assert_problem, session_client, token_client
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interaction(officer_actor, fnr):
    return services.record_interaction(
        actor=officer_actor,
        person=PersonFactory(),
        channel="phone_call",
        summary=f"Fnr {fnr}. Han er medlem av Fellesforbundet.",
    )


def test_scan_texts_answers_spans_and_kinds_and_stores_nothing(privacy_officer, fnr):
    api = token_client(privacy_officer)
    response = api.post(
        "/api/pii/scan",
        {"items": [{"id": "a", "text": f"Fnr {fnr}"}, {"id": "b", "text": "Alt vel."}]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["id"] == "a"
    assert [(f["start"], f["kind"]) for f in body["results"][0]["findings"]] == [(4, "no_fnr")]
    assert body["results"][1]["findings"] == []
    assert fnr not in response.content.decode()
    assert Finding.objects.count() == 0


def test_scan_texts_needs_the_permission(customer_service):
    response = token_client(customer_service).post("/api/pii/scan", {"items": []})
    assert_problem(response, 403)


def test_list_findings_filters_by_status_and_kind(privacy_officer, interaction):
    api = token_client(privacy_officer)
    body = api.get("/api/pii/findings", {"status": "open", "kind": "union"}).json()
    assert [f["kind"] for f in body["items"]] == ["union"]
    assert body["items"][0]["object_id"] == str(interaction.pk)


def test_redact_through_the_api(privacy_officer, interaction, fnr):
    finding = Finding.objects.get(kind="no_fnr")
    response = session_client(privacy_officer).post(f"/api/pii/findings/{finding.pk}/redact")
    assert response.status_code == 200
    assert response.json()["status"] == FindingStatus.REDACTED
    assert fnr not in Interaction.objects.get(pk=interaction.pk).summary


def test_redacting_twice_is_a_conflict(privacy_officer, interaction):
    finding = Finding.objects.get(kind="no_fnr")
    api = token_client(privacy_officer)
    api.post(f"/api/pii/findings/{finding.pk}/redact")
    response = api.post(f"/api/pii/findings/{finding.pk}/redact")
    assert_problem(response, 409, code="pii_finding_not_open")


def test_delete_record_through_the_api(privacy_officer, interaction):
    finding = Finding.objects.get(kind="union")
    response = token_client(privacy_officer).post(f"/api/pii/findings/{finding.pk}/delete-record")
    assert response.status_code == 200
    assert not Interaction.objects.filter(pk=interaction.pk).exists()


def test_accept_through_the_api_names_a_missing_reason(privacy_officer, interaction):
    finding = Finding.objects.get(kind="union")
    api = token_client(privacy_officer)
    refused = api.post(f"/api/pii/findings/{finding.pk}/accept", {"basis": "9_2_b", "reason": ""})
    assert_problem(refused, 422, field="reason", code="pii_reason_required")
    response = api.post(
        f"/api/pii/findings/{finding.pk}/accept", {"basis": "9_2_b", "reason": "Kontingenttrekk."}
    )
    assert response.json()["basis"] == "9_2_b"


def test_review_needs_the_permission(customer_service, interaction):
    finding = Finding.objects.get(kind="union")
    response = token_client(customer_service).post(f"/api/pii/findings/{finding.pk}/redact")
    assert_problem(response, 403)


def test_policies_are_listed_and_set(privacy_officer):
    api = token_client(privacy_officer)
    listed = api.get("/api/pii/policies").json()
    assert {"target": "register.interaction", "field": "summary", "action": "warn"} in listed
    response = api.post(
        "/api/pii/policies",
        {"target": "register.interaction", "field": "summary", "action": "refuse"},
    )
    assert response.status_code == 200
    assert response.json()["action"] == "refuse"
    unknown = api.post(
        "/api/pii/policies",
        {"target": "register.interaction", "field": "channel", "action": "refuse"},
    )
    assert_problem(unknown, 422, field="field", code="pii_unknown_field")
    table = api.post("/api/pii/policies", {"target": "x.y", "field": "z", "action": "warn"})
    assert_problem(table, 422, code="pii_unknown_target")


def test_a_refused_interaction_is_a_problem_naming_the_field(privacy_officer, fnr):
    api = token_client(privacy_officer)
    api.post(
        "/api/pii/policies",
        {"target": "register.interaction", "field": "summary", "action": "refuse"},
    )
    person = PersonFactory()
    response = api.post(
        "/api/interactions",
        {"person_id": person.pk, "channel": "email", "summary": f"Fødselsnummer {fnr}"},
    )
    body = assert_problem(response, 422, field="summary", code="pii_refused_content")
    assert fnr not in response.content.decode()
    assert "fødselsnummer" in body["errors"][0]["message"]
    assert Interaction.objects.count() == 0


def test_a_warned_interaction_tells_the_staff_member(customer_service):
    person = PersonFactory()
    response = token_client(customer_service).post(
        "/api/interactions",
        {"person_id": person.pk, "channel": "email", "summary": "Hun er sykmeldt."},
    )
    assert response.status_code == 201
    assert response.json()["pii_findings"] == [
        {"field": "summary", "kind": "health", "start": 7, "end": 15}
    ]


def test_table_scan_through_the_api_resumes(privacy_officer, officer_actor):
    person = PersonFactory()
    for text in ("Hun er sykmeldt.", "Ingenting.", "Han er homofil."):
        Interaction.objects.create(person=person, channel="email", summary=text)
    api = token_client(privacy_officer)
    first = api.post(
        "/api/pii/table-scans",
        {"target": "register.interaction", "batch_size": 2, "max_batches": 1},
    ).json()
    assert (first["scanned"], first["finished"]) == (2, False)
    second = api.post(
        "/api/pii/table-scans", {"target": "register.interaction", "batch_size": 2}
    ).json()
    assert second["scanned"] == 1 and second["resumed_after"] > 0 and second["finished"]
    assert second["standing"] == {"health": 1, "sexual_orientation": 1}
    unknown = api.post("/api/pii/table-scans", {"target": "register.person"})
    assert_problem(unknown, 422, code="pii_unknown_target")
