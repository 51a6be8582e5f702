"""Keyed hashes (HMAC-SHA256) of e-mail addresses and phone numbers.

The suppression list and the telemarketing reservations must recognise an address again
without keeping it readable; a plain hash of a phone number is reversed by trying all numbers,
a keyed one is not without the server secret. Set ``PERSONVERN_SUPPRESSION_KEY`` explicitly in
production: when it is unset the key is derived from the Django secret key, and rotating that
would make the list forget everyone.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from django.conf import settings

from personvern.core.errors import DomainError
from personvern.core.validation import email_lookup_key, normalise_phone


@cache
def _key() -> bytes:
    configured: str = getattr(settings, "PERSONVERN_SUPPRESSION_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"personvern:suppression", "sha256").digest()


def digest(normalised: str) -> str:
    return hmac.new(_key(), normalised.encode(), hashlib.sha256).hexdigest()


def email_digest(email: str) -> str:
    return digest("email:" + email_lookup_key(email))


def phone_digest(phone: str) -> str:
    return digest("phone:" + normalise_phone(phone))


def try_email_digest(email: str) -> str | None:
    try:
        return email_digest(email)
    except DomainError:
        return None


def try_phone_digest(phone: str) -> str | None:
    try:
        return phone_digest(phone)
    except DomainError:
        return None


def registered_digests(*, email_key: str, phone: str) -> list[str]:
    """The digests of a registered person's e-mail and phone, from the forms the register
    stores (the e-mail look-up key and the phone in E.164): the same as :func:`email_digest`
    and :func:`phone_digest` of the addresses, without parsing them again, which the bulk
    check would otherwise do for up to 100,000 people."""
    found = []
    if email_key:
        found.append(digest("email:" + email_key))
    if phone:
        found.append(digest("phone:" + phone))
    return found
