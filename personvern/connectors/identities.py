"""A person's identity as external systems may spell it.

Each kind is normalised with the register's own helpers (``core.validation``) and then given
in the spellings a system commonly stores, so that an indexed ``IN`` finds the rows without
rewriting every value in SQL: an e-mail address as normalised and lower-cased; a phone number
in E.164 and the usual national and international forms; a national identity number
(fødselsnummer, checked with python-stdnum) compact and formatted."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import fodselsnummer

from personvern.core.errors import DomainError
from personvern.core.validation import DEFAULT_PHONE_REGION, normalise_email, normalise_phone

from .choices import IdentityKind


@dataclass(frozen=True)
class Identity:
    email: str = ""
    phone: str = ""
    national_id: str = ""
    customer_number: str = ""
    # Each kind's spellings, worked out once: a request looks them up for every table of
    # every source (validating an address or parsing a number costs more than the query).
    # Kept only as long as this identity, never in a cache that outlives the request.
    _spellings: dict[IdentityKind, list[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def candidates(self, kind: IdentityKind | str) -> list[str]:
        kind = IdentityKind(kind)
        if kind not in self._spellings:
            self._spellings[kind] = self._spell(kind)
        return list(self._spellings[kind])

    def _spell(self, kind: IdentityKind) -> list[str]:
        if kind == IdentityKind.EMAIL:
            return email_spellings(self.email)
        if kind == IdentityKind.PHONE:
            return phone_spellings(self.phone)
        if kind == IdentityKind.NATIONAL_ID:
            return national_id_spellings(self.national_id)
        number = self.customer_number.strip()
        return [number] if number else []

    def canonical(self, kind: IdentityKind | str) -> str:
        """The one spelling an API is asked with (e-mail lower-cased, phone in E.164, the
        national identity number compact); empty when the value is missing or invalid."""
        values = self.candidates(kind)
        if not values:
            return ""
        kind = IdentityKind(kind)
        if kind == IdentityKind.EMAIL:
            return values[0].lower()
        if kind == IdentityKind.PHONE:
            return next(v for v in values if v.startswith("+") and " " not in v)
        if kind == IdentityKind.NATIONAL_ID:
            return next(v for v in values if " " not in v)
        return values[0]

    def __bool__(self) -> bool:
        return any(self.candidates(kind) for kind in IdentityKind)


def email_spellings(value: str) -> list[str]:
    if not value:
        return []
    with suppress(DomainError):
        normalised = normalise_email(value)
        return sorted({normalised, normalised.lower()})
    return []


def phone_spellings(value: str) -> list[str]:
    if not value:
        return []
    with suppress(DomainError):
        e164 = normalise_phone(value)
        number = phonenumbers.parse(e164, DEFAULT_PHONE_REGION)
        national = str(phonenumbers.national_significant_number(number))
        fmt = phonenumbers.PhoneNumberFormat
        return sorted(
            {
                e164,
                national,
                f"00{e164[1:]}",
                phonenumbers.format_number(number, fmt.NATIONAL),
                phonenumbers.format_number(number, fmt.INTERNATIONAL),
            }
        )
    return []


def national_id_spellings(value: str) -> list[str]:
    if not value:
        return []
    try:
        compact = str(fodselsnummer.validate(value))
    except StdnumValidationError:
        return []
    return sorted({compact, str(fodselsnummer.format(compact))})


def normalise_corrections(values: Mapping[str, str | None]) -> dict[str, str | None]:
    """Corrected values (``PersonField`` -> value) as the register stores them: e-mail and
    phone through the register's own helpers (a phone in E.164), text trimmed; an empty value
    is None (the wrong value is removed). A value the helpers refuse raises their error."""
    cleaned: dict[str, str | None] = {}
    for name, value in values.items():
        text = (value or "").strip()
        if not text:
            cleaned[name] = None
        elif name == "email":
            cleaned[name] = normalise_email(text)
        elif name == "phone":
            cleaned[name] = normalise_phone(text)
        else:
            cleaned[name] = text
    return cleaned
