"""The website app's settings (``settings.PERSONVERN_WEBSITE``), each with a safe default."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Log requests to Personvern's own pages (the middleware).
    "IP_LOG_ENABLED": True,
    # Seconds a process keeps the blocklist in memory before reading it again.
    "BLOCKLIST_CACHE_SECONDS": 10,
    # Origins of the organisation's website allowed to send banner decisions (CORS).
    "BANNER_ORIGINS": [],
}


def get(name: str) -> Any:
    return getattr(settings, "PERSONVERN_WEBSITE", {}).get(name, DEFAULTS[name])
