"""Single-use, expiring links (verification and download). The token travels only in the
e-mail and the URL; the database keeps its SHA-256, so it cannot be recovered from a copy."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import DomainError

from .choices import RightsErrorCode, TokenPurpose
from .models import DataSubjectRequest, RequestToken

TOKEN_BYTES = 32


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(*, request: DataSubjectRequest, purpose: TokenPurpose, hours: int) -> str:
    """A new token for ``request``; the caller puts it in a link and never stores it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    RequestToken.objects.create(
        request=request,
        purpose=purpose,
        digest=digest(token),
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )
    return token


def invalid_link() -> DomainError:
    """One error for an unknown, used or expired link: which it was is nobody's business."""
    return DomainError(
        code=RightsErrorCode.INVALID_TOKEN,
        message=_(
            "This link is not valid. It may have been used already or have expired. "
            "Submit the request again or contact us."
        ),
        status=404,
    )


def peek(token: str, *, purpose: TokenPurpose) -> RequestToken:
    """The usable token, without using it up (to show a confirmation page first: mail
    scanners that follow links must not spend a single-use link)."""
    found = _usable(token, purpose=purpose).select_related("request").first()
    if found is None:
        raise invalid_link()
    return found


def consume(token: str, *, purpose: TokenPurpose) -> DataSubjectRequest:
    """Use the token up, once; call inside the transaction that acts on it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume() must run inside the transaction that acts on the token")
    found = _usable(token, purpose=purpose).select_for_update().first()
    if found is None:
        raise invalid_link()
    used = RequestToken.objects.filter(pk=found.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:  # another request used it between the read and the update
        raise invalid_link()
    return DataSubjectRequest.objects.select_for_update().get(pk=found.request_id)


def _usable(token: str, *, purpose: TokenPurpose) -> QuerySet[RequestToken]:
    if not token or len(token) > 200:
        return RequestToken.objects.none()
    return RequestToken.objects.filter(
        digest=digest(token), purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
    )
