"""/api/breaches through the HTTP stack (responses checked against the OpenAPI schema)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personvern.accounts.choices import Role
from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from tests.api.conftest import assert_problem, session_client
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db
BREACHES = "/api/breaches"


@pytest.fixture
def officer_api(privacy_officer):
    return session_client(privacy_officer)


def _new(**overrides):
    aware = timezone.now() - datetime.timedelta(hours=10)
    return {
        "title": "Stolen laptop",
        "what_happened": "A laptop was stolen.",
        "aware_at": aware.isoformat(),
        "subject_categories": ["employee"],
        "approx_people": 12,
        **overrides,
    }


def test_record_assess_notify_and_read_the_draft(officer_api, controller):
    # when a breach is recorded
    created = officer_api.post(BREACHES, _new())
    assert created.status_code == 201, created.content
    body = created.json()
    assert 61.9 < body["hours_left"] <= 62 and body["notified"] is False
    assert body["deadline_oslo"].endswith(("+01:00", "+02:00"))
    breach_url = f"{BREACHES}/{body['id']}"
    # and its risk is assessed, and the initial notification recorded
    risk = officer_api.post(f"{breach_url}/risk", {"risk": "risk", "reasoning": "Salary data."})
    assert risk.status_code == 200 and risk.json()["risk"] == "risk"
    notified = officer_api.post(f"{breach_url}/notifications", {
        "phase": "initial", "submitted_at": timezone.now().isoformat(), "reference": "26/00042",
    })  # fmt: skip
    assert notified.status_code == 201 and notified.json()["late"] is False
    # then the register shows it notified, and the draft follows the form
    listing = officer_api.get(BREACHES).json()
    assert listing["items"][0]["notified"] is True
    draft = officer_api.get(f"{breach_url}/report").json()
    assert draft[0]["key"] == "virksomhet" and draft[0]["value"] == "Numeri AS"
    assert {f["key"]: f["value"] for f in draft}["meldingstype"].startswith("Oppfølging")
    assert AuditEntry.objects.filter(event_type=AuditEventType.BREACH_NOTIFIED).count() == 1


def test_refusals_name_the_field_and_rule(officer_api):
    naive = officer_api.post(BREACHES, _new(aware_at="2026-01-01T10:00:00"))
    assert_problem(naive, 422, field="aware_at", code="invalid_times")
    future = officer_api.post(BREACHES, _new(aware_at="9999-12-31T23:59:59+14:00"))
    assert_problem(future, 422, field="aware_at", code="invalid_times")
    ancient = officer_api.post(BREACHES, _new(began_at="0001-01-01T00:00:00+14:00"))
    assert_problem(ancient, 422, field="began_at", code="invalid_times")
    breach_id = officer_api.post(BREACHES, _new(aware_at=(
        timezone.now() - datetime.timedelta(hours=100)).isoformat())).json()["id"]  # fmt: skip
    reasoning = officer_api.post(f"{BREACHES}/{breach_id}/risk", {"risk": "high", "reasoning": ""})
    assert_problem(reasoning, 422, field="risk_reasoning", code="reasoning_required")
    late = officer_api.post(f"{BREACHES}/{breach_id}/notifications", {
        "phase": "initial", "submitted_at": timezone.now().isoformat(),
    })  # fmt: skip
    assert_problem(late, 422, field="delay_reasons", code="delay_reasons_required")


def test_other_roles_are_refused(db):
    api = session_client(user_with_role(Role.SALES_MARKETING))
    assert_problem(api.get(BREACHES), 403)
    assert_problem(api.post(BREACHES, _new()), 403)


def test_a_boolean_is_no_number(officer_api):
    response = officer_api.post(BREACHES, _new(approx_records=False))
    assert_problem(response, 422, field="approx_records", code="int_type")
