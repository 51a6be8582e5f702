"""Settings every app may need, read from ``settings.PERSONVERN`` with safe defaults:

- ``PORTAL_URL`` (or the environment's ``PERSONVERN_PORTAL_URL``): the public address links
  in letters and the privacy notice point at, e.g. ``https://personvern.example.no``.

Here, below the apps, so that the request workflow (which sends the links) and the website
(whose notice names the portal) read the one address without importing each other."""

from __future__ import annotations

import os

from django.conf import settings


def portal_url() -> str:
    configured = getattr(settings, "PERSONVERN", {}).get("PORTAL_URL", "") or os.environ.get(
        "PERSONVERN_PORTAL_URL", "http://127.0.0.1:8000"
    )
    return str(configured).rstrip("/")
