"""API tokens: issuing and revoking them, each audited.

A token's key is shown once, when it is issued; only its SHA-256 digest is stored, and neither
the key nor the digest ever enters the audit log.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError

from ..choices import AccountsErrorCode
from ..models import ApiToken, User

PREFIX_LENGTH = 8


def key_digest(key: str) -> str:
    """The stored form of a key: its SHA-256 hex digest (the key has 256 bits of entropy, so a
    fast hash is enough; no salt or slow hash is needed as for a password)."""
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    """A fresh key whose prefix no other token has, so ``token revoke <prefix>`` is unambiguous.

    A key never starts with ``-``: the command line would read its prefix as an option."""
    while True:
        key = secrets.token_urlsafe(32)
        if key.startswith("-"):
            continue
        if not ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH]).exists():
            return key


@transaction.atomic
def issue_token(
    *,
    actor: Actor,
    user: User,
    name: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for an active staff user. Returns the token and its key; the key cannot be
    recovered later."""
    name = name.strip()
    if not name:
        raise DomainError(
            code=CoreErrorCode.REQUIRED, message=_("Name what the token is for."), field="name"
        )
    if not (user.is_active and user.is_staff):
        raise DomainError(
            code=AccountsErrorCode.NOT_STAFF,
            message=_("API tokens are only issued to active staff users."),
            field="user",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(
            code=AccountsErrorCode.PAST_EXPIRY,
            message=_("The expiry must be in the future."),
            field="expires_at",
        )
    key = _new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_digest=key_digest(key),
        expires_at=expires_at,
    )
    record(
        actor=actor,
        event=AuditEventType.API_TOKEN_ISSUED,
        obj=token,
        fields=["user", "name", *(["expires_at"] if expires_at else [])],
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token from now on; revoking a revoked token changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=actor, event=AuditEventType.API_TOKEN_REVOKED, obj=token, fields=["revoked_at"]
        )
    return token
