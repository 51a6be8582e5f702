"""Request middleware for Personvern's own pages.

``IpLogMiddleware`` comes right after Django's SecurityMiddleware and before the blocklist, so
blocked attempts are logged too; ``BlocklistMiddleware`` answers 403 before any other
middleware or view runs, from a per-process copy of the list (no query per request)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.translation import gettext as _

from personvern.core.actors import client_ip

from . import blocklist_cache, config
from .services.iplog import LINK_ATTRIBUTE, log_request

logger = logging.getLogger(__name__)

Handler = Callable[[HttpRequest], HttpResponse]
# Static files and the load balancer's health check are not visits.
UNLOGGED_PREFIXES = ("/healthz", "/favicon.ico")
# URL parts that are secrets (single-use links to verify a request or download a package):
# whoever reads the log must not be able to use them, so the log keeps the route instead.
SECRET_URL_KWARGS = frozenset({"token"})


def loggable_path(request: HttpRequest) -> str:
    """The request's path with every secret URL part replaced by its name in braces."""
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name in sorted(SECRET_URL_KWARGS & match.kwargs.keys()):
            path = path.replace(str(match.kwargs[name]), "{" + name + "}")
    return path


class BlocklistMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if blocklist_cache.is_blocked(client_ip(request)):
            return HttpResponseForbidden(
                _("Access from this address is blocked."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class IpLogMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.skip = (*UNLOGGED_PREFIXES, settings.STATIC_URL or "/static/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        address = client_ip(request)
        if address and config.get("IP_LOG_ENABLED") and not request.path.startswith(self.skip):
            # Never inside a transaction this middleware does not own (it could be broken, or
            # be rolled back): with none open, as in production, the entry is written now.
            transaction.on_commit(
                partial(
                    _write,
                    ip_address=address,
                    method=request.method or "",
                    path=loggable_path(request),
                    status=response.status_code,
                    user_agent=request.headers.get("User-Agent", ""),
                    link=getattr(request, LINK_ATTRIBUTE, None),
                )
            )
        return response


def _write(**values: Any) -> None:
    try:
        log_request(**values)
    except (DatabaseError, ValueError) as exc:
        # The visit is served even if the log cannot be written. The error's text can quote
        # the address or path, so only its kind is logged.
        logger.warning("IP log entry not written: %s", type(exc).__name__)
