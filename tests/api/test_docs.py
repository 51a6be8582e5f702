"""The schema pages: interactive docs and the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_docs_page_renders():
    assert Client().get("/api/docs").status_code == 200


def test_openapi_lists_every_path_with_bearer_and_session_auth():
    schema = Client().get("/api/openapi.json").json()
    assert {
        "/api/people",
        "/api/people/{person_id}",
        "/api/people/lookup",
        "/api/companies",
        "/api/companies/{company_id}",
        "/api/interactions",
        "/api/interactions/{interaction_id}",
        "/api/activities",
        "/api/activities/{activity_id}",
        "/api/activities/{activity_id}/activate",
        "/api/activities/{activity_id}/retire",
        "/api/activities/{activity_id}/assessments",
        "/api/processors",
        "/api/processors/{processor_id}",
        "/api/processors/{processor_id}/agreements",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_no_query_parameter_carries_contact_details():
    schema = Client().get("/api/openapi.json").json()
    names = {
        param["name"]
        for path in schema["paths"].values()
        for op in path.values()
        for param in op.get("parameters", [])
    }
    assert not names & {"email", "phone"}
