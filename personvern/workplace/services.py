"""The workplace's one write: a staff search is audited (who searched which list, how many
records it found), never with the words searched for: they are often a name or an address."""

from __future__ import annotations

from django.db import transaction

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor


@transaction.atomic
def record_search(*, actor: Actor, model: str, results: int) -> None:
    record(
        actor=actor,
        event=AuditEventType.LIST_SEARCHED,
        object_type=model,
        detail={"model": model, "results": results},
    )
