"""Request checks every page and operation shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from .api import NUL
from .problems import PROBLEM_CONTENT_TYPE, TYPE_BASE

CODE = "nul_character"


class RefuseNulInQuery:
    """No parameter of ours means the NUL character, and PostgreSQL cannot compare text with
    it (a search for it would be a 500): a query string that holds one is refused, naming the
    parameter: a 422 problem under /api/, a plain 400 elsewhere (the staff UI's searches)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        names = sorted(
            name
            for name, values in request.GET.lists()
            if NUL in name or any(NUL in value for value in values)
        )
        if not names:
            return self.get_response(request)
        message = "Text must not contain the NUL character."
        if not request.path.startswith("/api/"):
            return HttpResponseBadRequest(message)
        body = {
            "type": f"{TYPE_BASE}validation_error",
            "title": "The request is not valid.",
            "status": 422,
            "code": "validation_error",
            "instance": request.path,
            "errors": [{"field": name.replace(NUL, ""), "code": CODE, "message": message}
                       for name in names],
        }  # fmt: skip
        return JsonResponse(body, status=422, content_type=PROBLEM_CONTENT_TYPE)
