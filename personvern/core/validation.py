"""Normalisation and validation of identifiers with the field-specific libraries.

Each function returns the canonical form that is stored, or raises :class:`DomainError` with
the field name and a code, so callers never store a value in two spellings.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

import phonenumbers
import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import orgnr

from .errors import CoreErrorCode, DomainError, ErrorCode

DEFAULT_PHONE_REGION = "NO"


def normalise_email(value: str, *, field: str = "email") -> str:
    """Syntax check (no DNS look-up: intake must work offline) and the normalised form, with
    the domain lower-cased; the local part is kept as given, as RFC 5321 requires, but
    look-ups compare case-insensitively (see ``email_lookup_key``)."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError(
            code=CoreErrorCode.INVALID_EMAIL,
            message=_("Enter a valid e-mail address."),
            field=field,
        ) from exc
    return str(result.normalized)


def email_lookup_key(value: str) -> str:
    """The key e-mail look-ups match on: the normalised address, lower-cased."""
    return normalise_email(value).lower()


def normalise_phone(value: str, *, field: str = "phone", region: str = DEFAULT_PHONE_REGION) -> str:
    """A valid phone number in E.164; numbers without a country code are read as Norwegian."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(
            code=CoreErrorCode.INVALID_PHONE,
            message=_("Enter a valid phone number."),
            field=field,
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            code=CoreErrorCode.INVALID_PHONE,
            message=_("Enter a valid phone number."),
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_orgnr(value: str, *, field: str = "organisation_number") -> str:
    """A Norwegian organisation number (9 digits, MOD11 check digit), compact form."""
    try:
        return str(orgnr.validate(value))
    except StdnumValidationError as exc:
        raise DomainError(
            code=CoreErrorCode.INVALID_ORGANISATION_NUMBER,
            message=_("Enter a valid Norwegian organisation number (9 digits)."),
            field=field,
        ) from exc


def format_orgnr(value: str) -> str:
    return str(orgnr.format(value)) if value else ""


def format_phone(value: str) -> str:
    if not value:
        return ""
    number = phonenumbers.parse(value, DEFAULT_PHONE_REGION)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_country(value: str, *, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 country code, upper-case."""
    code = (value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise DomainError(
            code=CoreErrorCode.INVALID_COUNTRY,
            message=_("Enter a country as an ISO 3166-1 alpha-2 code, e.g. NO or US."),
            field=field,
        )
    return code


def normalise_url(
    value: str, *, field: str, schemes: Collection[str], code: ErrorCode = CoreErrorCode.INVALID_URL
) -> str:
    """An absolute URL another system is to be called at, each rule named when it fails: a
    scheme from ``schemes``, a host Django's ``URLValidator`` accepts, a port from 1 to 65535
    (the validator's pattern lets 99999 through; ``urlsplit`` reads the number) and no user name
    or password (they would be stored, shown and sent with the address)."""
    text = (value or "").strip()
    broken = _url_rule_broken(text, schemes)
    if broken is not None:
        raise DomainError(code=code, message=broken, field=field)
    return text


def _url_rule_broken(text: str, schemes: Collection[str]) -> str | Promise | None:
    bad_host = _("Enter a complete web address with a valid host name.")
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed IPv6 bracket: "https://[::1/x"
        return bad_host
    try:
        port = parts.port
    except ValueError:  # ":abc", ":99999"
        port = 0
    if parts.scheme.lower() not in schemes:
        return _("Use an address that starts with %(schemes)s.") % {
            "schemes": " or ".join(f"{s}://" for s in sorted(schemes))
        }
    if parts.username is not None or parts.password is not None:
        return _("Leave the user name and password out of the address.")
    if port == 0:
        return _("The port must be a number from 1 to 65535.")
    try:
        URLValidator(schemes=list(schemes))(text)
    except ValidationError:
        return bad_host
    return None


def _column_limit(model: type[models.Model], name: str) -> int | None:
    field = model._meta.get_field(name)
    return field.max_length if isinstance(field, models.Field) else None


def max_length(model: type[models.Model], name: str) -> int:
    """The stored length limit of a text field, for schemas and checks to share."""
    limit = _column_limit(model, name)
    if limit is None:
        raise ValueError(f"{model._meta.label}.{name} has no max_length")
    return int(limit)
