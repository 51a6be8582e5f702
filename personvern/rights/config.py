"""Settings of the request workflow, read from ``settings.PERSONVERN`` with safe defaults:

- ``RIGHTS_VERIFY_LINK_HOURS`` (48) and ``RIGHTS_DOWNLOAD_LINK_HOURS`` (168): link lifetimes.
- ``RIGHTS_STATUS_LINK_DAYS`` (180): how long the status link in each letter shows the
  request's state (long enough for an extended deadline).
- ``RIGHTS_VERIFY_GRACE_HOURS`` (24): a request nobody verified lapses this long after its
  last verification link expired (the daily clean-up closes it).
- ``RIGHTS_DUE_SOON_DAYS`` (7): requests due within this many days are "due soon" and staff
  are reminded of them every morning.
- ``RIGHTS_SOURCES`` (``["register"]``): the data sources a request is fulfilled from, in
  order; the register, which holds the identity the others are found by, comes last.
- ``RIGHTS_SOURCE_ATTEMPTS`` (8) and ``RIGHTS_SOURCE_BACKOFF_SECONDS`` (60): an external data
  source that fails its part of an erasure is tried again after 60, 120, 240 … s (doubling, at
  most an hour) until the attempts are spent; then staff must act (it stays on the request).
  An access or portability package waits for such a source the same way.
- ``RIGHTS_PARTIAL_PACKAGE_DAYS`` (5): from this many days before the request's deadline, an
  access or portability package whose external source still fails is sent with the data of
  the sources that answered, naming the others as not searched yet; the rest follows in a
  new package once they answer.
- ``RIGHTS_DELIVERY_SCHEMES`` (``["https"]``) and ``RIGHTS_DELIVERY_ALLOW_PRIVATE`` (False):
  where portability data may be POSTed. Only tests allow ``http`` and loopback addresses.
- ``RIGHTS_DELIVERY_ATTEMPTS`` (5), ``RIGHTS_DELIVERY_BACKOFF_SECONDS`` (10) and
  ``RIGHTS_DELIVERY_TIMEOUT_SECONDS`` (30): a POST that fails is tried again after 10, 20, 40,
  80 s (doubling, at most 300 s) until the attempts are spent; then the person is sent the
  download link with a letter saying the transfer failed.
- ``RIGHTS_LETTER_ATTEMPTS`` (5): a letter the mail server refuses is tried again every minute
  until the attempts are spent, then given up on and put on the request's timeline.

The portal's public address is ``core.config.portal_url`` (the website's notice links to it
too). The request deadline itself is the organisation's ``request_deadline_days``
(``organisation.models.DEFAULT_REQUEST_DEADLINE_DAYS`` by default).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from personvern.organisation.models import DEFAULT_REQUEST_DEADLINE_DAYS
from personvern.organisation.selectors import get_controller


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, "PERSONVERN", {}).get(name, default)


def verify_link_hours() -> int:
    return int(_setting("RIGHTS_VERIFY_LINK_HOURS", 48))


def status_link_days() -> int:
    return max(1, int(_setting("RIGHTS_STATUS_LINK_DAYS", 180)))


def verify_grace_hours() -> int:
    return int(_setting("RIGHTS_VERIFY_GRACE_HOURS", 24))


def download_link_hours() -> int:
    return int(_setting("RIGHTS_DOWNLOAD_LINK_HOURS", 168))


def due_soon_days() -> int:
    return int(_setting("RIGHTS_DUE_SOON_DAYS", 7))


def source_keys() -> list[str]:
    return list(_setting("RIGHTS_SOURCES", ["register"]))


def delivery_schemes() -> frozenset[str]:
    return frozenset(_setting("RIGHTS_DELIVERY_SCHEMES", ["https"]))


def delivery_allows_private() -> bool:
    return bool(_setting("RIGHTS_DELIVERY_ALLOW_PRIVATE", False))


def letter_attempts() -> int:
    return max(1, int(_setting("RIGHTS_LETTER_ATTEMPTS", 5)))


def delivery_attempts() -> int:
    return max(1, int(_setting("RIGHTS_DELIVERY_ATTEMPTS", 5)))


def delivery_backoff_seconds() -> float:
    return max(0.0, float(_setting("RIGHTS_DELIVERY_BACKOFF_SECONDS", 10)))


def delivery_timeout_seconds() -> float:
    return float(_setting("RIGHTS_DELIVERY_TIMEOUT_SECONDS", 30))


def default_deadline_days() -> int:
    """Used only when no organisation is configured yet."""
    return int(_setting("RIGHTS_DEADLINE_DAYS", DEFAULT_REQUEST_DEADLINE_DAYS))


def deadline_days() -> int:
    """The organisation's request deadline (``Organisation.request_deadline_days``)."""
    controller = get_controller()
    return controller.request_deadline_days if controller else default_deadline_days()


def source_attempts() -> int:
    return max(1, int(_setting("RIGHTS_SOURCE_ATTEMPTS", 8)))


def source_backoff_seconds(attempt: int) -> float:
    """Wait before attempt ``attempt + 1`` of a failing source (doubling, at most an hour)."""
    base = max(0.0, float(_setting("RIGHTS_SOURCE_BACKOFF_SECONDS", 60)))
    return float(min(base * 2 ** max(0, attempt - 1), 3600.0))


def partial_package_days() -> int:
    return max(0, int(_setting("RIGHTS_PARTIAL_PACKAGE_DAYS", 5)))
