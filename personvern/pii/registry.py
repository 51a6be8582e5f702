"""The tables the scanner covers, told by the apps that own them (from ``AppConfig.ready``):
the pii app sits below the register, so it never imports it. A target names its model, the
free-text and document fields to scan, and how to redact a span or delete a record through
the owner's own services (which audit the change as the owner's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from personvern.core.errors import DomainError

from .choices import PiiErrorCode

TEXT = "text"
DOCUMENT = "document"


@dataclass(frozen=True)
class ScanTarget:
    label: str  # the model's label_lower, e.g. "register.interaction"
    model: type[models.Model]
    fields: dict[str, str]  # field name -> TEXT or DOCUMENT
    subject_of: Callable[[Any], int | None]
    delete: Callable[..., None]  # delete(actor=, obj=)
    # redact(actor=, obj=, field=, start=, end=); None where a span cannot be replaced.
    redact: Callable[..., None] | None = None
    queryset: Callable[[], models.QuerySet[Any]] | None = None

    def records(self) -> models.QuerySet[Any]:
        return self.queryset() if self.queryset else self.model._default_manager.all()


TARGETS: dict[str, ScanTarget] = {}


def register_target(target: ScanTarget) -> None:
    TARGETS[target.label] = target


def target_for(label: str) -> ScanTarget:
    """The registered target, failing loudly for a table nobody registered."""
    try:
        return TARGETS[label]
    except KeyError:
        raise DomainError(
            code=PiiErrorCode.UNKNOWN_TARGET, message=f"No scanned table is called {label}."
        ) from None


def targets() -> list[ScanTarget]:
    return [TARGETS[k] for k in sorted(TARGETS)]
