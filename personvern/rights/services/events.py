"""The timeline of a request: one row per step, and the same step in the audit log, written
in the caller's transaction. Details hold codes and counts, never personal data."""

from __future__ import annotations

from typing import Any

from personvern.audit.choices import AuditAction
from personvern.audit.services import record
from personvern.core.actors import Actor

from ..choices import EventKind
from ..models import DataSubjectRequest, RequestEvent


def log(
    *,
    request: DataSubjectRequest,
    kind: EventKind,
    actor: Actor,
    detail: dict[str, Any] | None = None,
    action: AuditAction = AuditAction.UPDATE,
    fields: tuple[str, ...] = (),
) -> RequestEvent:
    detail = detail or {}
    event = RequestEvent.objects.create(
        request=request, kind=kind, actor_label=actor.label, detail=detail
    )
    record(
        actor=actor,
        action=action,
        obj=request,
        subject_id=request.subject_id,
        fields=fields,
        detail={
            "event": str(kind),
            "status": request.status,
            "type": request.request_type,
            **detail,
        },
    )
    return event
