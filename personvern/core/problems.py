"""RFC 9457 problem details for every API error: domain errors, validation errors, auth."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

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
            title="The request is not valid.",
            code="validation_error",
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            api, request, status=401, title="Authentication required.", code="not_authenticated"
        )
        response["WWW-Authenticate"] = 'Bearer realm="personvern"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, title="Not found.", code=CoreErrorCode.NOT_FOUND)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(
            api,
            request,
            status=413,
            title="The request body is too large.",
            code="request_too_large",
            detail=f"Send at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes in one request.",
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = CoreErrorCode.PERMISSION_DENIED if exc.status_code == 403 else "http_error"
        return problem(api, request, status=exc.status_code, title=str(exc), code=str(code))
