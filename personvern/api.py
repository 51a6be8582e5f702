"""The JSON API: one NinjaAPI, a router per domain app, errors as RFC 9457 problem details.

Every operation needs an active staff user, by API token or by staff session (with CSRF);
the handlers then check the user's Django permissions. The schema pages (/api/docs and
/api/openapi.json) hold no data and stay open.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.defaults import page_not_found
from ninja.openapi.docs import Swagger

from personvern.accounts.auth import api_auth
from personvern.assessments.api import router as assessments_router
from personvern.breaches.api import router as breaches_router
from personvern.consent.api import router as consent_router
from personvern.core.errors import CoreErrorCode
from personvern.core.problems import ProblemAPI, install_problem_handlers, problem
from personvern.pii.api import router as pii_router
from personvern.processing.api import activities_router, processors_router
from personvern.register.api import companies_router, interactions_router, people_router
from personvern.rights.api import router as requests_router
from personvern.website.api import router as website_router

api = ProblemAPI(
    title="Personvern API",
    version="1",
    description="Register, record of processing activities and processors. Authenticate with a "
    "staff session or an API token (Authorization: Bearer <token>).",
    docs_url="/docs",
    # Served from django-ninja's own copy of Swagger UI (``ninja`` in INSTALLED_APPS), and
    # without the online validator badge, which would load an image from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    urls_namespace="api",
    auth=api_auth,
)
install_problem_handlers(api)

api.add_router("/people", people_router)
api.add_router("/companies", companies_router)
api.add_router("/interactions", interactions_router)
api.add_router("/activities", activities_router)
api.add_router("/processors", processors_router)
api.add_router("/consent", consent_router)
api.add_router("/requests", requests_router)
api.add_router("/website", website_router)
api.add_router("/breaches", breaches_router)
api.add_router("/assessments", assessments_router)
api.add_router("/pii", pii_router)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 (``handler404``): a problem for any address under /api/ that names no
    operation (``/api/people/abc``), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return problem(api, request, status=404, title="Not found.", code=CoreErrorCode.NOT_FOUND)
    return page_not_found(request, exception)
