"""RFC 9457 problem details for every API error: domain errors, validation errors, auth."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

from .errors import CoreErrorCode, DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://personvern.invalid/problems/"


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    title: str,
    code: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"{TYPE_BASE}{code}",
        "title": title,
        "status": status,
        "code": code,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_from_loc(loc: list[Any]) -> str:
    # ninja locations look like ["body", "payload", "email"]; the field is what follows them.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "body"


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return problem(
            api,
            request,
            status=exc.status,
            title=str(exc.message),
            code=str(exc.code),
            errors=[
                {"field": e.field, "code": str(e.code), "message": str(e.message)}
                for e in exc.errors
            ],
        )

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {
                "field": _field_from_loc(list(e.get("loc", []))),
                "code": str(e.get("type", "invalid")),
                "message": str(e.get("msg", "")),
            }
            for e in exc.errors
        ]
        return problem(
            api,
            request,
            status=422,
            title=_("The request is not valid."),
            code="validation_error",
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            api, request, status=401, title=_("Authentication required."), code="not_authenticated"
        )
        response["WWW-Authenticate"] = 'Bearer realm="personvern"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(
            api, request, status=404, title=_("Not found."), code=CoreErrorCode.NOT_FOUND
        )

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(
            api,
            request,
            status=413,
            title=_("The request body is too large."),
            code="request_too_large",
            detail=_("Send at most %(bytes)s bytes in one request.")
            % {"bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        )

    @api.exception_handler(IntegrityError)
    def concurrent_change(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A row the request relied on changed in between (a company deleted while a person
        # was linked to it, say): the transaction was rolled back, nothing was written. The
        # services check what they can under lock; this is the net under the rest.
        return problem(
            api,
            request,
            status=409,
            title=_("The data changed while the request ran; nothing was saved. Try again."),
            code="concurrent_change",
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Our own HttpErrors carry a message already in the request's language.
        code = CoreErrorCode.PERMISSION_DENIED if exc.status_code == 403 else "http_error"
        return problem(api, request, status=exc.status_code, title=str(exc), code=str(code))


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; ``errors`` names each field and rule broken.",
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Machine-readable; stable across languages."},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["field", "code", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "code", "instance"],
}

PROBLEM_STATUSES = {
    400: "The body is not JSON.",
    401: "No valid API token or staff session.",
    403: "The user lacks the permission, or the address is blocked.",
    404: "No such object.",
    409: "The operation conflicts with the object's state (the code says which rule).",
    413: "The body is larger than the server reads.",
    422: "A field breaks a rule (the errors name each field and rule).",
    429: "Too many requests from this address; try again later.",
}


def _problem_statuses(method: str, operation: dict[str, Any], path: str) -> list[int]:
    """The error answers an operation can give, read from what it takes: a body can be
    unparsable or too large, a path id can name nothing, a write can conflict, an operation
    behind authentication can be refused, an open one is rate-limited."""
    statuses = [422]
    if "requestBody" in operation:
        statuses += [400, 413]
    if "{" in path:
        statuses.append(404)
    if method != "get":
        statuses.append(409)
    statuses += [401, 403] if operation.get("security") else [403, 429]
    return sorted(statuses)


class ProblemAPI(NinjaAPI):
    """The API whose OpenAPI document lists, for every operation, the problem details it can
    answer with, so clients (and schemathesis) can rely on every status being documented."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        content = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in _problem_statuses(method, operation, path):
                    responses.setdefault(
                        status, {"description": PROBLEM_STATUSES[status], "content": content}
                    )
        return schema
