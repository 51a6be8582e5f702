"""A small rate limit for the public endpoints (the portal's request form, the banner's
decisions), so that nobody can flood the ledger or make Personvern send mail to strangers.

Counts live in Django's cache for one window; the client address is hashed into the key and
never stored. With the default per-process memory cache the limit applies per process; set a
shared cache (``CACHES``) to apply it across processes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def public_limit() -> int:
    """Requests a client may send to one public endpoint per minute."""
    configured = settings.PERSONVERN.get("PUBLIC_REQUESTS_PER_MINUTE")
    return configured if isinstance(configured, int) else 30


def within_rate(scope: str, client: str | None, *, limit: int | None = None) -> bool:
    """Count one request from ``client`` to ``scope``; False once it is over the limit."""
    digest = hashlib.sha256(f"{scope}:{client or 'unknown'}".encode()).hexdigest()
    key = f"personvern:throttle:{digest}"
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return True
    return count <= (limit if limit is not None else public_limit())
