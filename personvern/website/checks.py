"""A deployment check (tag ``security``, run by ``personvern check --deploy``): the privacy
notice promises encrypted communication, so a deployment without HTTPS redirect, HSTS or secure
cookies is warned about. Deploy-only, so development and test runs stay quiet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

EXPECTED: dict[str, Callable[[Any], bool]] = {
    "SECURE_SSL_REDIRECT": lambda v: bool(v),
    "SECURE_HSTS_SECONDS": lambda v: bool(v) and int(v) > 0,
    "SESSION_COOKIE_SECURE": lambda v: bool(v),
    "SESSION_COOKIE_HTTPONLY": lambda v: bool(v),
    "CSRF_COOKIE_SECURE": lambda v: bool(v),
    "SESSION_COOKIE_SAMESITE": lambda v: v in ("Lax", "Strict"),
}


@register(Tags.security, deploy=True)
def https_only(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Outside DEBUG, every setting that keeps traffic encrypted must be on."""
    if settings.DEBUG:
        return []
    off = [name for name, ok in EXPECTED.items() if not ok(getattr(settings, name, None))]
    if not off:
        return []
    return [
        Warning(
            "HTTPS-only is not fully on: " + ", ".join(off) + ".",
            hint="The privacy notice promises encrypted communication. Use "
            "personvern.settings.production (PERSONVERN_SSL_REDIRECT may be off only behind a "
            "proxy that redirects to HTTPS itself).",
            id="website.W001",
        )
    ]
