"""What ``/healthz`` reports: each check is a name and a function returning ``"ok"`` or a
short word for what is wrong (``"stale"``, ``"missing"``, ``"unreachable"``), never a message
that could hold personal data or a secret. The database and the mail backend are checked
here; apps above register their own from ``AppConfig.ready`` (the scheduling app: the worker's
and the scheduler's heartbeats). Any check not ``"ok"`` makes the answer 503, which a
supervisor alerts on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection

logger = logging.getLogger(__name__)

OK = "ok"
HealthCheck = Callable[[], str]

_CHECKS: dict[str, HealthCheck] = {}

# The mail server is asked at most once a minute per process (monitoring may ask every few
# seconds; each check opens an SMTP session).
MAIL_CHECK_SECONDS = 60.0
_mail_cache: dict[str, tuple[float, str]] = {}


def register_health_check(name: str, check: HealthCheck) -> None:
    if name in _CHECKS and _CHECKS[name] is not check:
        raise ValueError(f"A health check named {name!r} is registered already.")
    _CHECKS[name] = check


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        logger.warning("health: database unreachable: %s", type(exc).__name__)
        return "unreachable"
    return OK


def mail() -> str:
    """SMTP: a session is opened (and signed in to, when a user is set) and closed. Other
    backends (console, file, memory) have nothing to reach."""
    backend = get_connection(fail_silently=False)
    if not isinstance(backend, SmtpBackend):
        return OK
    now = time.monotonic()
    cached = _mail_cache.get(settings.EMAIL_BACKEND)
    if cached and now - cached[0] < MAIL_CHECK_SECONDS:
        return cached[1]
    backend.timeout = backend.timeout or 5
    try:
        backend.open()
        backend.close()
        state = OK
    except Exception as exc:  # refused, timed out, TLS or sign-in failed
        logger.warning("health: mail server unreachable: %s", type(exc).__name__)
        state = "unreachable"
    _mail_cache[settings.EMAIL_BACKEND] = (now, state)
    return state


def run_checks() -> dict[str, str]:
    """Every check's state; the database first, and only it when it is unreachable (the
    others read it)."""
    states = {"database": database()}
    if states["database"] != OK:
        return states
    for name, check in {**_CHECKS, "mail": mail}.items():
        try:
            states[name] = check()
        except Exception as exc:
            logger.warning("health: check %s failed: %s", name, type(exc).__name__)
            states[name] = "error"
    return states
