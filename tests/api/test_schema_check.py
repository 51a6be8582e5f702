"""The response check every test runs under can fail: a body or status the OpenAPI document
does not describe is refused."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse

from tests.api.schema_check import ResponseSchemaError, check


def json_response(body: object, status: int, content_type: str = "application/json"):
    return HttpResponse(json.dumps(body), status=status, content_type=content_type)


def test_a_body_that_breaks_the_schema_is_refused():
    # given a consent event whose evidence holds a value its schema does not allow
    event = {"id": 1, "sequence": 1, "person_id": 1, "visitor_id": "", "purpose_id": 1,
             "channel": "email", "action": "granted", "method": "web_form", "text_id": 1,
             "occurred_at": "2026-01-01T00:00:00Z", "evidence": {"privacy_notice": "v1"},
             "actor_label": "x", "hash": "0" * 64}  # fmt: skip
    # when it is checked, then it is refused naming the place
    with pytest.raises(ResponseSchemaError, match="evidence/privacy_notice"):
        check("POST", "/api/consent/events", json_response(event, 201))
    # and with a valid evidence it passes
    event["evidence"] = {"masked_ip": "192.0.2.0"}
    check("POST", "/api/consent/events", json_response(event, 201))


def test_an_undocumented_status_or_content_type_is_refused():
    with pytest.raises(ResponseSchemaError, match="status 418 not documented"):
        check("GET", "/api/people/7", json_response({}, 418))
    with pytest.raises(ResponseSchemaError, match="content type"):
        check("GET", "/api/people/7", json_response({}, 404, "text/html"))


def test_every_problem_is_documented_for_an_operation():
    problem = {"type": "https://personvern.invalid/problems/not_found", "title": "Not found.",
               "status": 404, "code": "not_found", "instance": "/api/people/7"}  # fmt: skip
    check("GET", "/api/people/7", json_response(problem, 404, "application/problem+json"))
