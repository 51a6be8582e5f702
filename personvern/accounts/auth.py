"""Authentication for the JSON API: a staff session (with CSRF) or a bearer token.

Both set ``request.auth_user`` to the staff user, whom handlers pass on as the :class:`Actor`.
Only active staff users authenticate, whichever way they come.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from personvern.core.actors import Actor, client_ip

from .models import ApiToken, User
from .services import key_digest

LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiRequest(HttpRequest):
    """An authenticated API request (for type checking: the auth classes set ``auth_user``)."""

    auth_user: User


def _is_active_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


class StaffSessionAuth(SessionAuth):
    """Django's session, for the staff UI's own scripts. CSRF is enforced, as with ninja's
    ``django_auth``, but only when there is a staff session to protect: a request without one
    falls through to 401 rather than a misleading CSRF failure."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if not _is_active_staff(request.user):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not isinstance(user, User) or not _is_active_staff(user):
            return None
        request.auth_user = user  # type: ignore[attr-defined]
        return user


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a key from ``personvern token create``."""

    def __call__(self, request: HttpRequest) -> Any | None:
        # ninja's HttpBearer logs the whole header on a scheme mismatch in DEBUG; a key must
        # never reach a log, so the header is parsed here.
        scheme, _sep, key = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not key.strip():
            return None
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = (
            ApiToken.objects.select_related("user").filter(key_digest=key_digest(token)).first()
        )
        if api_token is None or not api_token.is_usable() or not _is_active_staff(api_token.user):
            return None
        now = timezone.now()
        # "Last used" is for spotting stale tokens; a minute's precision saves a write per call.
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        request.auth_user = api_token.user  # type: ignore[attr-defined]
        return api_token


# The token comes first: a client sending one has no session, and is not asked for CSRF.
api_auth = [BearerTokenAuth(), StaffSessionAuth()]


def api_actor(request: ApiRequest) -> Actor:
    """The acting staff user of an authenticated API request."""
    return Actor(user=request.auth_user, ip_address=client_ip(request))


def require_perm(request: ApiRequest, perm: str) -> None:
    """403 (as problem details) unless the authenticated user holds ``perm``."""
    if not request.auth_user.has_perm(perm):
        raise HttpError(403, str(_("You do not have permission to do this.")))
