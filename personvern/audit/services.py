"""Writing the audit trail. Every service that touches personal data calls :func:`record` inside
its own transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from personvern.core.actors import Actor

from .choices import AuditAction
from .models import AuditEntry


def record(
    *,
    actor: Actor,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    subject_id: int | None = None,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``fields`` are field names only; values never enter the log."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    return AuditEntry.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        subject_id=subject_id,
        fields=sorted(fields),
        ip_address=actor.ip_address,
        detail=detail or {},
    )
