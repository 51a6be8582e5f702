"""/api/assessments through the HTTP stack: screening, a DPIA to sign-off, activation."""

from __future__ import annotations

import pytest

from personvern.accounts.choices import Role
from personvern.processing.choices import ActivityStatus
from tests.api.conftest import assert_problem, session_client
from tests.conftest import user_with_role
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db
BASE = "/api/assessments"
COMPLETE = {
    "description": "HR records.",
    "necessity": "Needed for the employment contract.",
    "risks": [{"risk": "Unauthorised access", "likelihood": 2, "severity": 3}],
    "measures": "Two-factor sign-in.",
    "residual_risk": "low",
    "dpo_advice": "Go ahead.",
    "review_on": "2027-06-01",
}


@pytest.fixture
def api(privacy_officer):
    return session_client(privacy_officer)


def test_criteria_name_their_sources(api):
    body = api.get(f"{BASE}/criteria").json()
    assert len(body["wp248"]) == 9 and body["datatilsynet_url"].startswith("https://")


def test_screen_then_dpia_then_sign_off_then_activate(api):
    activity = ProcessingActivityFactory(status=ActivityStatus.DRAFT)
    screened = api.post(f"{BASE}/screenings", {
        "activity_id": activity.pk, "criteria": ["sensitive_data", "vulnerable_subjects"],
    })  # fmt: skip
    assert screened.status_code == 200 and screened.json()["needs_dpia"] is True
    assert api.get(f"{BASE}/screenings/{activity.pk}").json()["criteria"] == [
        "sensitive_data", "vulnerable_subjects"
    ]
    refused = api.post(f"/api/activities/{activity.pk}/activate")
    assert_problem(refused, 422, field="status", code="dpia_required")
    created = api.post(f"{BASE}/dpias", {"activity_id": activity.pk, "description": "HR"})
    assert created.status_code == 201
    dpia_url = f"{BASE}/dpias/{created.json()['id']}"
    incomplete = api.post(f"{dpia_url}/sign-off")
    assert_problem(incomplete, 422, field="review_on", code="incomplete")
    assert api.patch(dpia_url, COMPLETE).status_code == 200
    signed = api.post(f"{dpia_url}/sign-off")
    assert signed.status_code == 200 and signed.json()["signed_off_at"]
    assert api.post(f"/api/activities/{activity.pk}/activate").status_code == 200
    frozen = api.patch(dpia_url, {"measures": "none"})
    assert_problem(frozen, 422, code="already_signed_off")


def test_refusals_name_the_field(api):
    activity = ProcessingActivityFactory()
    unknown = api.post(f"{BASE}/screenings", {"activity_id": activity.pk, "criteria": ["x"]})
    assert_problem(unknown, 422, field="criteria", code="unknown_criterion")
    missing = api.post(f"{BASE}/screenings", {"activity_id": 999999})
    assert_problem(missing, 422, field="activity_id", code="not_found")
    blank_risk = api.post(f"{BASE}/dpias", {"activity_id": activity.pk,
                                            "risks": [{"risk": " ", "likelihood": 1, "severity": 1}]})  # noqa: E501
    assert_problem(blank_risk, 422, field="risks", code="invalid_risk")


def test_sales_may_not_screen(db):
    api = session_client(user_with_role(Role.SALES_MARKETING))
    assert_problem(api.get(f"{BASE}/criteria"), 403)
