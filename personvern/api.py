"""The JSON API: one NinjaAPI, a router per domain app, errors as RFC 9457 problem details."""

from __future__ import annotations

from ninja import NinjaAPI

from personvern.core.problems import install_problem_handlers

api = NinjaAPI(
    title="Personvern API",
    version="1",
    description="Register, record of processing activities and processors. Authenticate with a "
    "staff session or an API token (Authorization: Bearer <token>).",
    docs_url="/docs",
    urls_namespace="api",
)
install_problem_handlers(api)
