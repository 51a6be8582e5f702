"""Domain errors: every service raises :class:`DomainError` with a code from its domain's enum.

One handler (``personvern.api``) turns them into RFC 9457 problem details; forms and admin
show the message beside the field. Tests assert the code, never the wording.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass

from django.utils.functional import Promise


class ErrorCode(enum.StrEnum):
    """Base for the per-domain error-code enums."""


class CoreErrorCode(ErrorCode):
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    INVALID_ORGANISATION_NUMBER = "invalid_organisation_number"
    INVALID_COUNTRY = "invalid_country"
    INVALID_URL = "invalid_url"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NUL_CHARACTER = "nul_character"
    ERASURE_JOURNAL_UNAVAILABLE = "erasure_journal_unavailable"


@dataclass(frozen=True)
class FieldError:
    field: str
    code: ErrorCode
    message: str | Promise


@dataclass
class DomainError(Exception):
    """A business rule refused an operation. Nothing was written."""

    code: ErrorCode
    message: str | Promise
    field: str | None = None
    status: int = 422
    errors: list[FieldError] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self.code))
        if self.field and not self.errors:
            self.errors = [FieldError(field=self.field, code=self.code, message=self.message)]

    def __str__(self) -> str:
        # Never include values: the message may be logged.
        return f"{self.code}: {self.message}"


def collect(errors: list[FieldError]) -> None:
    """Raise one :class:`DomainError` for all field errors found, so a form shows them together."""
    if errors:
        first = errors[0]
        raise DomainError(code=first.code, message=first.message, field=first.field, errors=errors)
