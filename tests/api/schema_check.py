"""Every API response a test receives is checked against the OpenAPI document.

A consent write once answered 500 after committing because only the service was tested: the
endpoint's output schema did not fit what the service returned. Installed for every test (see
``tests/conftest.py``) as the innermost middleware, this check sees each ``/api/`` response as
the handler made it and fails the test when its status is not documented for the operation or
its JSON body does not match the documented schema. Nothing is mocked: the request went
through the whole Django stack.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

import jsonschema_rs
from django.http import HttpRequest, HttpResponse

SKIPPED = ("/api/docs", "/api/openapi.json")
_PARAM = re.compile(r"\\\{[^}]+\\\}")  # a path parameter, as re.escape writes it


class ResponseSchemaError(AssertionError):
    pass


@functools.cache
def _document() -> dict[str, Any]:
    from personvern.api import api

    # Through JSON, as a client reads it: status keys become strings.
    document: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema()))
    return document


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """Each documented path as a pattern, literal paths before templated ones."""
    paths = sorted(_document()["paths"], key=lambda p: (p.count("{"), -len(p)))
    return [(re.compile(_PARAM.sub("[^/]+", re.escape(p)) + "$"), p) for p in paths]


def _operation(method: str, path: str) -> dict[str, Any] | None:
    for pattern, template in _templates():
        if pattern.match(path):
            operation: dict[str, Any] | None = _document()["paths"][template].get(method.lower())
            if operation is not None:
                return operation
    return None


@functools.cache
def _validator(schema_json: str) -> jsonschema_rs.Validator:
    schema = json.loads(schema_json)
    return jsonschema_rs.Draft202012Validator(
        {**schema, "components": _document().get("components", {})}
    )


def check(method: str, path: str, response: HttpResponse) -> None:
    """Raise :class:`ResponseSchemaError` unless the response is documented."""
    operation = _operation(method, path)
    if operation is None:
        # No operation has this address: the only right answer is the 404 problem.
        operation = {"responses": {"404": _document()["paths"]["/api/people/{person_id}"]
                                   ["get"]["responses"]["404"]}}  # fmt: skip
    responses = operation["responses"]
    documented = responses.get(str(response.status_code)) or responses.get("default")
    if documented is None:
        raise ResponseSchemaError(
            f"{method} {path}: status {response.status_code} not documented "
            f"(documented: {sorted(responses)})"
        )
    content = documented.get("content")
    if not content:
        if response.content:
            raise ResponseSchemaError(f"{method} {path}: body where none is documented")
        return
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in content:
        raise ResponseSchemaError(
            f"{method} {path}: content type {content_type!r} not in {sorted(content)}"
        )
    schema = content[content_type].get("schema", {})
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in _validator(json.dumps(schema, sort_keys=True)).iter_errors(
            json.loads(response.content)
        )
    ]
    if errors:
        raise ResponseSchemaError(
            f"{method} {path} {response.status_code}: the body does not match its schema:\n"
            + "\n".join(errors[:10])
        )


class ResponseSchemaCheck:
    """Test-only middleware: checks each API response the test client receives."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and not request.path.startswith(SKIPPED)
            and request.method != "OPTIONS"  # a CORS preflight, not an operation
        ):
            check(request.method or "GET", request.path, response)
        return response
